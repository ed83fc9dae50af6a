"""The programs HTTP API and event subscribers."""
