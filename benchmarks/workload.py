"""The synthetic events every benchmark writes: one realistic intake event type.

``intake.ClientRegistered`` with a plausible, fixed-shape profile (no real
personal data): about 400 bytes of payload JSON, 14 fields, a UUID, a date,
enums and a list. A pool of distinct payloads is built once; each append wraps
one in a new :class:`PendingEvent` (fresh event id, fresh ``occurred_at``), as
a use case would after its aggregate decided.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from chassis.eventstore import PendingEvent
from contracts.envelope import EventMetadata
from contracts.intake import (
    AgeBand,
    ClientRegistered,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)

POOL_SIZE = 512


def synthetic_registration(rng: random.Random) -> ClientRegistered:
    """One synthetic registration with varied but plausible answers."""
    return ClientRegistered(
        client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        site_id=f"S{rng.randint(1, 120):03d}",
        registered_on=date(2012, 4, 1) + timedelta(days=rng.randint(0, 364)),
        age_band=rng.choice(list(AgeBand)),
        education_level=rng.choice(list(EducationLevel)),
        income_source=rng.choice(list(IncomeSource)),
        months_out_of_work=rng.randint(0, 36),
        years_out_of_school=rng.randint(0, 30),
        interrupted_employment=rng.random() < 0.3,
        no_canadian_work_experience=rng.random() < 0.2,
        designated_groups=rng.sample(list(DesignatedGroup), rng.randint(0, 2)),
        referral_source=rng.choice(list(ReferralSource)),
        hours_worked_per_week=rng.choice([0, 0, 0, 10, 20]),
        in_full_time_education=rng.random() < 0.1,
    )


@dataclass(frozen=True)
class Workload:
    """Pools of payloads and metadata, shared by every benchmark of a run."""

    payloads: list[ClientRegistered]
    metadata: list[EventMetadata]
    payload_texts: list[str]
    """Each payload as the store writes it (``model_dump_json``)."""
    payload_jsonb_texts: list[str]
    """Each payload as PostgreSQL prints it back from jsonb (for record values)."""

    @classmethod
    def build(cls, seed: int = 2012, size: int = POOL_SIZE) -> Workload:
        """Deterministic pools of ``size`` payloads and metadata."""
        rng = random.Random(seed)
        payloads = [synthetic_registration(rng) for _ in range(size)]
        metadata = [
            EventMetadata(
                correlation_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                actor=f"caseworker-{rng.randint(1, 400)}",
                site_id=payload.site_id,
            )
            for payload in payloads
        ]
        texts = [payload.model_dump_json() for payload in payloads]
        jsonb_texts = [
            json.dumps(payload.model_dump(mode="json"), separators=(", ", ": "))
            for payload in payloads
        ]
        return cls(payloads, metadata, texts, jsonb_texts)

    def pending(self, n: int) -> PendingEvent:
        """The ``n``-th event to append: pooled payload, new event id and timestamp."""
        i = n % len(self.payloads)
        return PendingEvent(payload=self.payloads[i], metadata=self.metadata[i])

    def batch(self, n: int, size: int) -> list[PendingEvent]:
        """``size`` consecutive events starting at the ``n``-th."""
        return [self.pending(n + k) for k in range(size)]

    def payload_json(self, n: int) -> str:
        """The stored payload JSON of the ``n``-th pooled payload."""
        return self.payload_texts[n % len(self.payload_texts)]

    def envelope_json(self, n: int, stream_id: str, stream_version: int) -> bytes:
        """The record value the relay publishes for such an event.

        Same fields and formatting as the relay's server-side
        ``json_build_object(...)::text`` (``" : "`` and ``", "`` separators,
        payload as jsonb prints it), so the raw producer ceiling sends records
        of the same size.
        """
        event = self.pending(n)
        now = datetime.now(UTC).isoformat()
        envelope = {
            "event_id": str(event.event_id),
            "event_type": event.payload.event_type,
            "schema_version": event.payload.schema_version,
            "stream_id": stream_id,
            "stream_version": stream_version,
            "occurred_at": event.occurred_at.isoformat(),
            "recorded_at": now,
            "correlation_id": str(event.metadata.correlation_id),
            "causation_id": None,
            "actor": event.metadata.actor,
            "site_id": event.metadata.site_id,
            "payload": "__PAYLOAD__",
        }
        text = json.dumps(envelope, separators=(", ", " : "))
        payload = self.payload_jsonb_texts[n % len(self.payload_jsonb_texts)]
        return text.replace('"__PAYLOAD__"', payload).encode()
