"""Benchmark: a loopback feed farm, the sequential baseline, and ``python bench/run.py``."""
