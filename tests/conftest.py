"""Test configuration: fixtures come from tests/support."""

pytest_plugins = ["tests.support.postgres", "tests.support.kafka"]
