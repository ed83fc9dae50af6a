"""The topics the code uses: the event topics and each consumer group's dead-letter topics."""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from chassis.settings import ServiceSettings
from contracts.topics import EVENT_TOPICS, dead_letter_topic


def consumer_groups(service: str, settings: ServiceSettings) -> dict[str, tuple[str, ...]]:
    """Each consumer group of ``service`` (its projections' names) and the topics it reads."""
    try:
        module = importlib.import_module(f"services.{service}.entrypoints.subscribers")
    except ModuleNotFoundError:
        return {}
    projections = getattr(module, "projections", None)
    if projections is None:
        return {}
    return {projection.name: tuple(projection.topics) for projection in projections(settings)}


def topics_in_use(groups: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The event topics plus the dead-letter topic of every (group, topic) pair."""
    dead_letters = {
        dead_letter_topic(topic, group) for group, topics in groups.items() for topic in topics
    }
    return set(EVENT_TOPICS.values()) | dead_letters
