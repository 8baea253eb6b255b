"""Cohorts: intermediaries run cohorts, invite leaders, follow progress, export reports, send reminders."""
