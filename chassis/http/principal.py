"""Who is calling: the principal a verified token describes, and its site scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """The roles a token may carry (unknown role names are ignored)."""

    CASEWORKER = "caseworker"
    SITE_MANAGER = "site_manager"
    MINISTRY_ANALYST = "ministry_analyst"
    ADMIN = "admin"


SITE_SCOPED_ROLES = frozenset({Role.CASEWORKER, Role.SITE_MANAGER})
"""Roles that act on clients of their own sites only (``site_ids`` in the token)."""

CLIENT_LEVEL_ROLES = frozenset({Role.CASEWORKER, Role.SITE_MANAGER, Role.ADMIN})
"""Roles that may see client-level data at all; ministry analysts get aggregates only."""


MAX_CLAIM_LENGTH = 200
"""Longest ``sub``, ``provider_id`` or site id accepted (longer tokens are refused with 401)."""

MAX_LIST_CLAIM_ITEMS = 1000
"""Most roles or site ids a token may list."""


class MalformedClaims(ValueError):
    """A signed token whose claims do not describe a principal."""


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: subject, roles, provider and the sites it may act on."""

    subject: str
    roles: frozenset[Role]
    provider_id: str | None = None
    site_ids: frozenset[str] = frozenset()

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        """Build a principal from verified JWT claims."""
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise MalformedClaims("`sub` must be a non-empty string")
        _bounded_text(subject, "sub")
        provider_id = claims.get("provider_id")
        if provider_id is not None and not isinstance(provider_id, str):
            raise MalformedClaims("`provider_id` must be a string")
        if provider_id is not None:
            _bounded_text(provider_id, "provider_id")
        known = {role.value for role in Role}
        roles = frozenset(Role(name) for name in _strings(claims, "roles") if name in known)
        return cls(
            subject=subject,
            roles=roles,
            provider_id=provider_id,
            site_ids=frozenset(_strings(claims, "site_ids")),
        )

    def has_any_role(self, roles: Iterable[Role]) -> bool:
        """Whether the principal holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)

    @property
    def has_client_level_access(self) -> bool:
        """Whether any role lets the principal see client-level data."""
        return self.has_any_role(CLIENT_LEVEL_ROLES)

    def can_access_site(self, site_id: str) -> bool:
        """Whether the principal may read or change clients of ``site_id``.

        Admins reach every site; caseworkers and site managers reach the sites
        in their token; ministry analysts reach none at client level.
        """
        if Role.ADMIN in self.roles:
            return True
        return self.has_any_role(SITE_SCOPED_ROLES) and site_id in self.site_ids


def _strings(claims: Mapping[str, Any], name: str) -> list[str]:
    value = claims.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise MalformedClaims(f"`{name}` must be a list of strings")
    if len(value) > MAX_LIST_CLAIM_ITEMS:
        raise MalformedClaims(f"`{name}` lists more than {MAX_LIST_CLAIM_ITEMS} items")
    for item in value:
        _bounded_text(item, name)
    return value


def _bounded_text(value: str, name: str) -> None:
    """Refuse claim text that is too long or holds control characters (NUL included)."""
    if len(value) > MAX_CLAIM_LENGTH:
        raise MalformedClaims(f"`{name}` is longer than {MAX_CLAIM_LENGTH} characters")
    if not value.isprintable():
        raise MalformedClaims(f"`{name}` holds control characters")
