"""Where version 1 of caseload's events carried the text a caseworker typed.

Version 2 keeps the goal and sub-goals off the bus (``free_texts``); the
stored version 1 events still hold them. This map reads them out, by the
plan's text keys, for the migration that copies them into ``free_texts``
(``k0002``) and for the repository's load (an event written by an older
image during a rollout, after that copy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chassis.eventstore.free_texts import TextExtractors
from contracts.caseload import PlanComponent
from services.caseload.domain.plan_state import GOAL_KEY, sub_goal_key


def _goal(payload: Mapping[str, Any]) -> dict[str, str]:
    return {GOAL_KEY: payload.get("goal") or ""}


def _sub_goal(payload: Mapping[str, Any]) -> dict[str, str]:
    return {sub_goal_key(PlanComponent(payload["component"])): payload.get("sub_goal") or ""}


VERSION_1_TEXTS: TextExtractors = {
    ("caseload.ServicePlanOpened", 1): _goal,
    ("caseload.PlanItemAdded", 1): _sub_goal,
}
"""The texts of each caseload event version that carried any."""
