"""Reads of the impact pages: the intermediary overview, the network view, the impact report's figures."""
from .overview import Overview, Period, intermediary_overview, overview_for_cohorts  # noqa: F401
