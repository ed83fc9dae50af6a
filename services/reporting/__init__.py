"""Reporting: performance facts, ES measures and the Service Quality Standard.

Four rooms and one composition root, like the other services: ``domain``
(pure rules: the fact fold, measures, SQS, the roll-up, which site-years a
fact counts in), ``app`` (use cases: the SQS table, provider and region
roll-ups, export rows, the read-model rebuild; ``app/ports.py`` is what they
read), ``adapters`` (tables and migrations, the facts projection, the
measures refresher, the SQL read side, export files, the rebuild's replay and
schema swap), ``entrypoints`` (HTTP routes, the event subscriber, the refresh
loop, the export command's work) and ``bootstrap``. See README.md here.
"""
