"""Signed cookie values: what was signed comes back; altered or expired values are refused."""

from __future__ import annotations

import pytest

from chassis.web.signed import BadSignature, sign, unsign


def test_a_signed_value_comes_back_intact() -> None:
    assert unsign(sign({"state": "abc"}, "k", ttl_s=60), "k") == {"state": "abc"}


def test_another_key_an_altered_body_or_an_expired_value_is_refused() -> None:
    token = sign({"state": "abc"}, "k", ttl_s=60, now=1000.0)
    body, mac = token.split(".")
    with pytest.raises(BadSignature):
        unsign(token, "other", now=1001.0)
    with pytest.raises(BadSignature):
        unsign(body[:-2] + "xx." + mac, "k", now=1001.0)
    with pytest.raises(BadSignature):
        unsign(token, "k", now=1061.0)
    assert unsign(token, "k", now=1059.0) == {"state": "abc"}
