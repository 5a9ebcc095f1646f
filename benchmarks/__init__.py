"""Benchmarks of wtmatch: figures, not tests (see benchmarks/RESULTS.md)."""
