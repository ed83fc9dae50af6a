"""Kafka wiring: the local Kafka-protocol broker, topic provisioning, producers."""
