"""Caseload's adapters: its tables and migrations, SQL views, repositories and projections."""
