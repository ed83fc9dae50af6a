"""A problem's ``instance`` is always a valid URI reference, whatever the path holds."""

from __future__ import annotations

import re

import pytest

from chassis.http.problems import instance_uri

URI_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/%-]*")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/service-plans/7d1c", "/service-plans/7d1c"),
        ("/clients/é", "/clients/%C3%A9"),
        ("/clients/a b", "/clients/a%20b"),
        ("/clients/\x00", "/clients/%00"),
    ],
)
def test_the_request_path_is_percent_encoded_where_needed(path: str, expected: str) -> None:
    assert instance_uri(path) == expected
    assert URI_PATH.fullmatch(instance_uri(path))
