"""Part A with CP-SAT: the model (one function per H-rule and S-term), the searches, the strategy."""
