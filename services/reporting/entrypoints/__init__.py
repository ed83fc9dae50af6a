"""Reporting's entrypoints: HTTP API (``/sqs``, ``/measures``, ``/sites``) and subscribers."""
