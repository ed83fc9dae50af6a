"""Caseload's entrypoints: the HTTP API and the event subscribers."""
