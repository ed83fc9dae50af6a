"""Programs runs one projection per upstream topic, each in its own consumer group."""

from __future__ import annotations

from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS
from services.programs.entrypoints.subscribers import projections
from services.programs.settings import ProgramsSettings


def test_programs_projects_intake_registrations_and_caseload_plans() -> None:
    found = {projection.name: tuple(projection.topics) for projection in projections()}
    assert found == {
        "programs.known-clients": (INTAKE_EVENTS,),
        "programs.service-plans": (CASELOAD_EVENTS,),
    }


def test_the_consumer_groups_come_from_the_settings() -> None:
    settings = ProgramsSettings(known_clients_group="kc-test", service_plans_group="sp-test")
    assert [projection.name for projection in projections(settings)] == ["kc-test", "sp-test"]
