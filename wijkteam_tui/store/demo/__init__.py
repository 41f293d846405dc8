"""Fictitious registers for the demo, the tests and the benchmarks: the generator, one
generated client as rows, and the names, streets and notes they draw from."""
