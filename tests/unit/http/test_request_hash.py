"""Request fingerprints: a retry matches, a different request does not."""

from __future__ import annotations

from chassis.http.request_hash import canonical_body, request_fingerprint

JSON = "application/json"


def fingerprint(
    body: bytes = b'{"a": 1, "b": [1, 2]}',
    *,
    method: str = "POST",
    path: str = "/clients",
    query: str = "",
    content_type: str | None = JSON,
) -> str:
    return request_fingerprint(
        method=method, path=path, query=query, content_type=content_type, body=body
    )


def test_the_same_json_document_reserialised_has_the_same_fingerprint() -> None:
    assert fingerprint(b'{"b":[1,2],"a":1}') == fingerprint()
    assert (
        fingerprint(
            b'{\n  "a": 1,\n  "b": [1, 2]\n}', content_type="application/json; charset=utf-8"
        )
        == fingerprint()
    )


def test_a_different_body_has_a_different_fingerprint() -> None:
    assert fingerprint(b'{"a": 2, "b": [1, 2]}') != fingerprint()
    assert fingerprint(b'{"a": 1, "b": [2, 1]}') != fingerprint()


def test_the_same_body_sent_to_another_endpoint_or_method_differs() -> None:
    assert fingerprint(path="/clients/1/close") != fingerprint()
    assert fingerprint(method="PUT") != fingerprint()


def test_query_parameter_order_does_not_matter_but_values_do() -> None:
    assert fingerprint(query="x=1&y=2") == fingerprint(query="y=2&x=1")
    assert fingerprint(query="x=1") != fingerprint(query="x=2")


def test_a_non_json_body_counts_byte_for_byte() -> None:
    assert fingerprint(b"a=1", content_type="text/plain") != fingerprint(
        b"a=1 ", content_type="text/plain"
    )
    assert fingerprint(b"{not json", content_type=JSON) == fingerprint(
        b"{not json", content_type=JSON
    )


def test_a_body_too_deep_for_the_parser_is_fingerprinted_as_it_came() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    assert canonical_body("application/json", body) == body
