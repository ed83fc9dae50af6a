"""Forms of the caseworker front end: posted fields become the command body; messages by field."""

from __future__ import annotations

from services.web.forms import Field, FormState, body_of, refused, render_field, render_fields
from services.web.service_calls import Answer, field_errors

FIELDS = [
    Field("personal_details.given_name", "text", "client.given_name", required=True),
    Field("profile.months_out_of_work", "int", "client.months_out_of_work"),
    Field(
        "profile.designated_groups",
        "multi",
        "client.designated_groups",
        ["newcomer", "francophone"],
    ),
    Field("profile.in_full_time_education", "bool", "x"),
    Field("requested_costs_cents.tuition", "cents", "x"),
    Field("sub_goal", "text", "x"),
]
WORDS = {"form.check_fields": "Check the fields.", "error.missing": "Required.", "x": "X"}


def test_posted_fields_become_the_nested_command_body() -> None:
    posted = {
        "personal_details.given_name": [" Ana "],
        "profile.months_out_of_work": ["7"],
        "profile.designated_groups": ["newcomer", "francophone"],
        "requested_costs_cents.tuition": ["8 500,50"],
        "sub_goal": [""],
    }
    assert body_of(FIELDS, posted) == {
        "personal_details": {"given_name": "Ana"},
        "profile": {
            "months_out_of_work": 7,
            "designated_groups": ["newcomer", "francophone"],
            "in_full_time_education": False,
        },
        "requested_costs_cents": {"tuition": 850050},
    }


def test_a_number_that_is_not_one_goes_to_the_service_which_says_so() -> None:
    body = body_of(FIELDS, {"profile.months_out_of_work": ["many"]})
    assert body["profile"]["months_out_of_work"] == "many"


def test_a_refusal_puts_each_message_by_its_field_in_the_readers_words() -> None:
    problem = {
        "type": "/problems/validation-error",
        "errors": [{"field": "body.personal_details.given_name", "message": "Field required",
                    "type": "missing"}],
    }  # fmt: skip
    answer = Answer(422, problem, field_errors=field_errors(problem))
    state = refused({"personal_details.given_name": [""]}, answer, WORDS)
    assert state.errors == {"personal_details.given_name": "Required."}
    assert state.problem == "Check the fields."
    html = render_field(FIELDS[0], state, WORDS)
    assert 'aria-invalid="true"' in html and "Required." in html


def test_every_render_carries_its_own_idempotency_key() -> None:
    first, second = FormState(), FormState()
    assert first.key != second.key
    assert f'value="{first.key}"' in render_fields(FIELDS, first, WORDS)
