"""The one envelope every event travels in, on the bus and in the stores."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class EventMetadata(BaseModel):
    """Who caused an event and in which conversation; supplied by the use case."""

    model_config = ConfigDict(frozen=True)

    correlation_id: UUID = Field(description="Id shared by every event of one request or flow.")
    causation_id: UUID | None = Field(
        default=None, description="Id of the command or event that caused this event."
    )
    actor: str = Field(description="Who did it: a user id, or a service name for automation.")
    site_id: str | None = Field(
        default=None, description="Service delivery site the event belongs to, if any."
    )


class EventEnvelope(BaseModel):
    """A recorded event as published: metadata plus the versioned payload.

    ``payload`` is kept as a plain JSON object here; the registry turns it into
    the pydantic model of ``(event_type, schema_version)``, upcasting first.
    """

    model_config = ConfigDict(frozen=True)

    event_id: UUID = Field(description="Unique id of this event; consumers deduplicate on it.")
    event_type: str = Field(
        description="Stable wire name, e.g. caseload.ServicePlanClosed.",
        examples=["intake.ClientRegistered"],
    )
    schema_version: int = Field(ge=1, description="Version of the payload schema.")
    stream_id: str = Field(description="Id of the aggregate whose stream holds the event.")
    stream_version: int = Field(ge=1, description="1-based position of the event in its stream.")
    occurred_at: datetime = Field(description="When the fact happened in the domain.")
    recorded_at: datetime = Field(description="When the store committed the event.")
    correlation_id: UUID
    causation_id: UUID | None = None
    actor: str
    site_id: str | None = None
    payload: dict[str, Any] = Field(description="The event's payload for its schema version.")

    @property
    def metadata(self) -> EventMetadata:
        """The causal metadata of the event."""
        return EventMetadata(
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            actor=self.actor,
            site_id=self.site_id,
        )
