"""Part B, solver-free: the items to schedule, their time domains, evaluation, reasons."""
