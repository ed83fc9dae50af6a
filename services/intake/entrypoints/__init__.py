"""Intake's entrypoints: the HTTP API."""
