"""Benchmarks that print numbers (time and SQL query counts). Run them with `make bench`."""
