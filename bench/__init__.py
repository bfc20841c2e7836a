"""Load generators, baselines and scenarios behind ``make bench`` (results: docs/benchmarks.md)."""
