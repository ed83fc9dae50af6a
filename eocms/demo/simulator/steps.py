"""What the simulated province does: dated steps, each one command a person gives a service.

A :class:`Step` names *what* happens (``Action``), to which simulated thing
(``ref``: a client, a plan, a project ...), on which day, with the command's
domain facts in ``body``. It says nothing of URLs or ids the services assign:
the driver maps actions to the services' HTTP API and resolves refs to ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    """The commands the simulator gives, one per service use case."""

    REGISTER_CLIENT = "register-client"
    OPEN_PLAN = "open-plan"
    ADD_ITEM = "add-item"
    START_SERVICE = "start-service"
    COMPLETE_SERVICE = "complete-service"
    REFER = "refer"
    CLOSE_PLAN = "close-plan"
    RATE_SATISFACTION = "rate-satisfaction"
    FOLLOW_UP = "follow-up"
    REPORT_RESOURCE_AND_INFORMATION = "report-resource-and-information"
    SUBMIT_BUSINESS_PLAN = "submit-business-plan"
    APPROVE_BUSINESS_PLAN = "approve-business-plan"
    SUBMIT_SECOND_CAREER = "submit-second-career"
    APPROVE_SECOND_CAREER = "approve-second-career"
    DENY_SECOND_CAREER = "deny-second-career"
    START_SECOND_CAREER = "start-second-career"
    COMPLETE_SECOND_CAREER = "complete-second-career"
    WITHDRAW_SECOND_CAREER = "withdraw-second-career"
    CREATE_JCP_PROJECT = "create-jcp-project"
    APPROVE_JCP_PROJECT = "approve-jcp-project"
    PLACE_JCP_PARTICIPANT = "place-jcp-participant"
    COMPLETE_JCP_PARTICIPATION = "complete-jcp-participation"
    SUBMIT_SEB = "submit-seb"
    APPROVE_SEB = "approve-seb"
    START_SEB = "start-seb"
    COMPLETE_SEB = "complete-seb"


@dataclass(frozen=True)
class Step:
    """One command of a chain, on a day.

    ``ref`` names the simulated thing the command creates or acts on
    (``client:S001-0007``, ``plan:S001-0007`` ...); ``client_ref`` names the
    client a command concerns when that is another thing (a plan's opening, a
    JCP placement). ``body`` holds the command's own facts, JSON-ready.
    """

    chain: str
    index: int
    action: Action
    on: date
    site_id: str
    ref: str
    body: Mapping[str, Any] = field(default_factory=dict)
    client_ref: str | None = None

    @property
    def month(self) -> str:
        """``YYYY-MM`` of the step's day."""
        return self.on.strftime("%Y-%m")


class ChainBuilder:
    """Collects one chain's steps in the order they must run."""

    def __init__(self, chain: str, site_id: str) -> None:
        self.chain, self.site_id = chain, site_id
        self.steps: list[Step] = []

    def add(
        self,
        action: Action,
        on: date,
        ref: str,
        body: Mapping[str, Any] | None = None,
        *,
        client_ref: str | None = None,
    ) -> None:
        """Append a step; steps of one chain never go back in time."""
        if self.steps and on < self.steps[-1].on:
            raise ValueError(f"{self.chain}: {action} on {on} precedes {self.steps[-1].on}")
        self.steps.append(
            Step(self.chain, len(self.steps), action, on, self.site_id, ref, body or {}, client_ref)
        )


@dataclass(frozen=True)
class Later:
    """A step drawn ahead of its place in the chain (merged in date order afterwards)."""

    on: date
    action: Action
    ref: str
    body: Mapping[str, Any] = field(default_factory=dict)
    client_ref: str | None = None
