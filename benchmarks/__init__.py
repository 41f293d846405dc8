"""Benchmarks: `python -m benchmarks` (or `make bench`). Results go to benchmarks/results.json."""
