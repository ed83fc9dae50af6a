"""``eocms token``: mint a development bearer token (HS256, dev mode only).

Prints the token alone, for ``curl -H "Authorization: Bearer $(eocms token ...)"``.
Refuses when ``AUTH_MODE`` is ``prod``: production tokens come from the
identity provider, never from this command.
"""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from chassis.http.dev_tokens import DevTokensDisabled, mint_dev_token
from chassis.http.principal import Role
from chassis.http.settings import AuthSettings


def token(
    role: Annotated[
        list[Role], typer.Option("--role", help="A role to grant (repeat for several).")
    ],
    site: Annotated[
        list[str] | None, typer.Option("--site", help="A site the user acts on (repeatable).")
    ] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Provider id.")] = None,
    sub: Annotated[str, typer.Option("--sub", help="Subject: the user's id.")] = "dev-user",
    ttl: Annotated[
        int | None,
        typer.Option("--ttl", min=1, help="Lifetime in seconds. Default: AUTH_TOKEN_TTL."),
    ] = None,
) -> None:
    """Mint a development token signed with the dev-mode HS256 secret."""
    try:
        settings = AuthSettings()
        minted = mint_dev_token(
            settings, subject=sub, roles=role, site_ids=site or (), provider_id=provider, ttl_s=ttl
        )
    except ValidationError as error:
        _refuse("; ".join(str(item["msg"]) for item in error.errors()))
    except DevTokensDisabled as error:
        _refuse(str(error))
    typer.echo(minted)


def _refuse(reason: str) -> NoReturn:
    typer.echo(f"eocms token mints development tokens only: {reason}", err=True)
    raise typer.Exit(code=2)
