"""CP-SAT models of the analyses: recruitment with switches, plans with no-good cuts."""
