"""Generator of the downloadable templates shipped in content/<module>/templates/ (see build.py)."""
