"""Reporting's adapters: fact tables, the facts projection and the facts repository."""
