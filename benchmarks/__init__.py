"""Benchmarks run by `make eval` and friends."""
