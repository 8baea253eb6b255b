"""Benchmarks: each module runs on its own throw-away database (`python -m bench.<name>`)."""
