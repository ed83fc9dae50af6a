"""Site scoping: who may act on which site's clients, and what the others are told."""

from __future__ import annotations

import pytest

from chassis.http import Principal, ProblemException, ResourceNotFound, Role, require_site_access


def principal(*roles: Role, sites: tuple[str, ...] = ("S001",)) -> Principal:
    return Principal(
        subject="u", roles=frozenset(roles), provider_id="P01", site_ids=frozenset(sites)
    )


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SITE_MANAGER])
def test_site_scoped_roles_reach_only_the_sites_in_their_token(role: Role) -> None:
    user = principal(role, sites=("S001", "S002"))
    assert user.can_access_site("S001") and user.can_access_site("S002")
    assert not user.can_access_site("S003")


def test_an_admin_reaches_every_site() -> None:
    assert principal(Role.ADMIN, sites=()).can_access_site("S999")


def test_a_ministry_analyst_reaches_no_site_at_client_level_whatever_the_token_says() -> None:
    assert not principal(Role.MINISTRY_ANALYST, sites=("S001",)).can_access_site("S001")


def test_another_sites_client_is_not_found_rather_than_forbidden() -> None:
    with pytest.raises(ResourceNotFound) as refused:
        require_site_access(principal(Role.CASEWORKER), "S002")
    assert refused.value.problem.status == 404
    assert str(refused.value) == str(ResourceNotFound("client"))


def test_a_public_site_resource_is_forbidden_when_existence_need_not_be_hidden() -> None:
    with pytest.raises(ProblemException) as refused:
        require_site_access(principal(Role.SITE_MANAGER), "S002", hide_existence=False)
    assert refused.value.problem.status == 403


def test_an_analyst_asking_for_a_client_is_told_aggregates_only() -> None:
    with pytest.raises(ProblemException) as refused:
        require_site_access(principal(Role.MINISTRY_ANALYST), "S001")
    assert refused.value.problem.uri == "/problems/client-level-forbidden"


def test_a_principal_from_claims_keeps_known_roles_only() -> None:
    claims = {"sub": "alice", "roles": ["caseworker", "wizard"], "site_ids": ["S001"]}
    assert Principal.from_claims(claims).roles == {Role.CASEWORKER}


def test_a_principal_without_provider_or_sites_is_fine_for_an_admin() -> None:
    admin = Principal.from_claims({"sub": "root", "roles": ["admin"]})
    assert (admin.provider_id, admin.site_ids) == (None, frozenset())
