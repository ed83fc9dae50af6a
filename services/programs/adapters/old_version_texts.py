"""Where version 1 of programs' events carried text as typed.

Version 2 keeps a Second Career application's training program, occupation
and denial explanation, and a JCP project's sponsor name and title, off the
bus (``free_texts``); the stored version 1 events still hold them. This map
reads them out, by the aggregates' text keys, for the migration that copies
them into ``free_texts`` (``p0003``) and for the repositories' load (an event
written by an older image during a rollout, after that copy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chassis.eventstore.free_texts import TextExtractors
from services.programs.domain.jcp_project import SPONSOR_NAME_KEY, TITLE_KEY
from services.programs.domain.second_career_state import (
    EXPLANATION_KEY,
    OCCUPATION_KEY,
    TRAINING_PROGRAM_KEY,
)


def _training(payload: Mapping[str, Any]) -> dict[str, str]:
    return {
        TRAINING_PROGRAM_KEY: payload.get("training_program") or "",
        OCCUPATION_KEY: payload.get("occupation") or "",
    }


def _explanation(payload: Mapping[str, Any]) -> dict[str, str]:
    return {EXPLANATION_KEY: payload.get("explanation") or ""}


def _sponsor(payload: Mapping[str, Any]) -> dict[str, str]:
    return {
        SPONSOR_NAME_KEY: payload.get("sponsor_name") or "",
        TITLE_KEY: payload.get("title") or "",
    }


VERSION_1_TEXTS: TextExtractors = {
    ("programs.SecondCareerApplicationSubmitted", 1): _training,
    ("programs.SecondCareerApplicationDenied", 1): _explanation,
    ("programs.JcpProjectCreated", 1): _sponsor,
}
"""The texts of each programs event version that carried any."""
