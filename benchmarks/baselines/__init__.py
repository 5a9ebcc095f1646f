"""Baselines the benchmarks run beside wtmatch: a dense CP-SAT model and HiGHS on the same formulation."""
