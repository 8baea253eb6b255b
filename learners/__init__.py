"""Learners: enrolments, progress, quiz attempts, certificates and the capacity self-diagnostic."""
