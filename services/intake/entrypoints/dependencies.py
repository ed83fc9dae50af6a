"""What the HTTP routes need at request time, put on the app by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.rulebook import RuleBookShelf
from services.intake.adapters import ClientDirectory, PersonalDataReadLog, PersonalDataVault
from services.intake.adapters.search_index import ClientSearchIndex
from services.intake.app import Clients


@dataclass(frozen=True)
class IntakeContext:
    """The collaborators intake's use cases take, built once by ``bootstrap``."""

    engine: AsyncEngine
    repository: Clients
    directory: ClientDirectory
    vault: PersonalDataVault
    rulebooks: RuleBookShelf
    today: Callable[[], date]
    search_index: ClientSearchIndex | None = None
    read_log: PersonalDataReadLog | None = None


def intake_context(request: Request) -> IntakeContext:
    """The context ``bootstrap.create_app`` stored on the application."""
    context = getattr(request.app.state, "intake", None)
    if context is None:
        raise RuntimeError("no intake context: build the app with services.intake.bootstrap")
    return context


Intake = Annotated[IntakeContext, Depends(intake_context)]
"""A route parameter holding intake's collaborators."""
