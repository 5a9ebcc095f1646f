"""Benchmarks of wtmatch: figures, not tests (see docs/benchmarks.md)."""
