"""Learning records as xAPI statements, sent to an LRS through the outbox (off unless XAPI_LRS_URL is set)."""
