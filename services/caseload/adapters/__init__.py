"""Caseload's adapters: its tables and migrations, lookups, repositories and projections."""
