"""Core: the site frame (home, health check, base templates, mail helper, demo seeding)."""
