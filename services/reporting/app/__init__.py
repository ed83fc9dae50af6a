"""Reporting's use cases: the SQS table, provider and region roll-ups, export rows, rebuild.

They read through :class:`~services.reporting.app.ports.ReadModel` (the
adapters' ``FactsRepository`` provides it); ``measure_periods`` says which
periods the read model stores and which stored row answers a query. The
rebuild (``rebuild.py``) still drives its adapters directly.
"""
