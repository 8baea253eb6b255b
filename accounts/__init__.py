"""Accounts: the user model, roles, associations and intermediaries."""
