"""Shared runtime of every EOCMS service.

Event store and outbox, relay, consumer runner, settings, logging and the
broker and database wiring. Nothing here creates an engine, client or broker
at import time: composition roots call the factories.
"""
