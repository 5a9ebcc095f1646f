"""Part A, solver-free: candidates, greedy plan, objective evaluation, reasons."""
