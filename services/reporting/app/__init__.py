"""Reporting's use cases: the SQS queries, roll-ups, exports and the read-model rebuild."""
