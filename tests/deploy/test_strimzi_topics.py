"""Strimzi ``KafkaTopic`` resources: the fields Strimzi requires, checked by hand.

No CRD schema for Strimzi is available offline (kubernetes-validate bundles
only Kubernetes' built-in resources), so this test checks by hand what
Strimzi's ``kafka.strimzi.io/v1beta2`` KafkaTopic needs or constrains: the
``strimzi.io/cluster`` label (without it no Topic Operator picks the resource
up), a valid resource name, a legal Kafka ``spec.topicName``, no field outside
the CRD's spec, ``spec.partitions`` and ``spec.replicas`` positive integers
(we require them: broker defaults would differ between clusters), and
``spec.config`` a map. Beyond
Strimzi, the project's own rules: replication 3 with two in-sync replicas,
infinite retention for event topics, and partitions consistent with
``KAFKA_TOPIC_PARTITIONS`` (what the services create a missing topic with).
"""

from __future__ import annotations

import re

import pytest

from contracts.topics import EVENT_TOPICS
from tests.deploy.manifests import KUSTOMIZATIONS, STRIMZI_API_VERSION, of_kind, render

DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
KAFKA_TOPIC_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")


@pytest.mark.parametrize("target", list(KUSTOMIZATIONS))
def test_every_kafka_topic_has_the_fields_strimzi_requires(target: str) -> None:
    topics = of_kind(render(KUSTOMIZATIONS[target]), "KafkaTopic")
    assert topics
    for topic in topics:
        assert topic["apiVersion"] == STRIMZI_API_VERSION
        assert DNS_SUBDOMAIN.match(topic["metadata"]["name"])
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "eocms-kafka"
        spec = topic["spec"]
        assert set(spec) <= {"topicName", "partitions", "replicas", "config"}
        assert KAFKA_TOPIC_NAME.match(spec["topicName"])
        assert isinstance(spec["partitions"], int) and spec["partitions"] >= 1
        assert isinstance(spec["replicas"], int) and spec["replicas"] >= 1
        assert isinstance(spec["config"], dict)


@pytest.mark.parametrize("target", list(KUSTOMIZATIONS))
def test_topics_are_replicated_three_times_and_event_topics_kept_forever(target: str) -> None:
    resources = render(KUSTOMIZATIONS[target])
    config_partitions = {
        int(c["data"]["KAFKA_TOPIC_PARTITIONS"])
        for c in of_kind(resources, "ConfigMap")
        if "KAFKA_TOPIC_PARTITIONS" in c.get("data", {})
    }
    for topic in of_kind(resources, "KafkaTopic"):
        spec = topic["spec"]
        assert spec["replicas"] == 3
        assert spec["config"]["min.insync.replicas"] == 2
        assert {spec["partitions"]} == config_partitions
        if spec["topicName"] in EVENT_TOPICS.values():
            assert spec["config"]["retention.ms"] == -1
            assert spec["config"]["retention.bytes"] == -1
        else:
            assert spec["config"]["retention.ms"] > 0
