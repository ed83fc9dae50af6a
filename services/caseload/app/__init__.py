"""Caseload's use cases: load, decide with the domain, save through the adapters."""
