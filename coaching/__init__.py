"""Coaching: coach profiles, coaching requests, matching, missions, sessions and feedback."""
