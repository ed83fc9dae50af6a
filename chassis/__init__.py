"""Shared runtime of every EOCMS service.

Event store and outbox, relay, consumer runner, settings, logging, the
broker and database wiring, and the service wiring kit
(:mod:`chassis.wiring`) every composition root composes. Nothing here creates
an engine, client or broker at import time: composition roots call the
factories.
"""
