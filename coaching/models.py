"""Coach profiles, coaching requests, proposals, missions, sessions and feedback."""
