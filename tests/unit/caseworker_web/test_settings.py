"""The front end's settings refuse a service address that is not an http(s) one."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.web.settings import CaseworkerWebSettings


@pytest.mark.parametrize(
    "address", ["http://intake:8080", "https://intake.example.org", "http://127.0.0.1:8001/api"]
)
def test_an_http_address_is_taken(address: str) -> None:
    assert CaseworkerWebSettings(intake_url=address).intake_url == address


@pytest.mark.parametrize("address", ["intake:8001", "ftp://intake", "http://", "", "127.0.0.1"])
def test_anything_else_is_refused_naming_the_setting(address: str) -> None:
    with pytest.raises(ValidationError, match="programs_url"):
        CaseworkerWebSettings(programs_url=address)
