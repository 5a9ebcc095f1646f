"""Part B with CP-SAT: the model (one function per H-rule and S-term), the search, the strategy."""
