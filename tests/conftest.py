"""Test configuration: fixtures come from tests/support.

The suite runs in development mode (``EOCMS_DEV_MODE=1``), set here before any
test and inherited by every service process a test starts: services accept
the public development secrets only then. Tests of the refusal outside
development mode unset it themselves.
"""

import os

from chassis.devmode import DEV_MODE_VARIABLE

os.environ[DEV_MODE_VARIABLE] = "1"

pytest_plugins = ["tests.support.postgres", "tests.support.kafka"]
