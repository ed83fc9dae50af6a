"""How ``eocms`` reports a failed command: one or two lines and a non-zero exit.

Every command runs inside :class:`FailureReportingGroup`, which turns the
errors an operator meets (database or broker unreachable, a missing database,
refused credentials, an unsupported URL, a database without the expected
schema) into a short message on stderr and exit code 1. Other errors get their
type and first line. Tracebacks only with ``eocms --debug`` (or
``EOCMS_DEBUG=1``), where the error propagates untouched.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from typing import Any

import click
import typer
from aiokafka import errors as kafka_errors
from sqlalchemy import exc as sql_errors
from typer.core import TyperGroup
from typer.exceptions import TyperException

from chassis.broker.local import LocalBrokerError
from chassis.database import UnsupportedDatabase
from chassis.migrate import SchemaMissing

EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130
DEBUG_HINT = "(run `eocms --debug ...` for the traceback)"


PASSED_THROUGH = (
    typer.Exit,
    typer.Abort,
    TyperException,
    click.exceptions.Exit,
    click.ClickException,
)
"""Exits and usage errors, which Typer already reports in its own way."""


class CommandFailure(Exception):
    """An expected failure whose message is ready for the operator."""


def debug_requested(ctx: typer.Context | click.Context | None) -> bool:
    """Whether ``--debug`` was given on the command line or ``EOCMS_DEBUG`` is set."""
    if os.environ.get("EOCMS_DEBUG", "").lower() in ("1", "true", "yes"):
        return True
    root = ctx.find_root() if ctx is not None else None
    return bool(root is not None and root.params.get("debug"))


def explain(error: BaseException) -> list[str]:
    """The one or two lines that tell an operator what went wrong."""
    if isinstance(error, CommandFailure | SchemaMissing | UnsupportedDatabase):
        return str(error).splitlines()
    if isinstance(error, sql_errors.DBAPIError):
        return [f"database: {_first_line(error.orig)}"]
    if isinstance(error, sql_errors.ArgumentError | sql_errors.NoSuchModuleError):
        return [f"database URL: {_first_line(error)}"]
    if isinstance(
        error,
        kafka_errors.AuthenticationFailedError
        | kafka_errors.SaslAuthenticationFailed
        | kafka_errors.UnsupportedSaslMechanismError,
    ):
        return [f"Kafka refused the credentials: {_first_line(error)}"]
    if isinstance(error, kafka_errors.KafkaConnectionError):
        return [
            f"cannot reach Kafka: {_first_line(error)}",
            "check KAFKA_BOOTSTRAP_SERVERS (or --bootstrap-servers) and that the broker runs",
        ]
    if isinstance(error, LocalBrokerError):
        return [f"local broker: {_first_line(error)}"]
    if isinstance(error, socket.gaierror):
        return [f"cannot connect: unknown host ({error.strerror})"]
    if isinstance(error, ConnectionRefusedError):
        return [f"cannot connect: connection refused ({_first_line(error)})", "is the server up?"]
    if isinstance(error, OSError) and error.strerror:
        return [f"{error.strerror}: {error.filename or _first_line(error)}"]
    if isinstance(error, TimeoutError):
        return ["timed out waiting for a server (database or Kafka)"]
    return [f"{type(error).__name__}: {_first_line(error)}", DEBUG_HINT]


def _first_line(error: BaseException | Any) -> str:
    text = str(error).strip()
    if text.startswith("(") and ") " in text:  # SQLAlchemy's "(driver.Error) message"
        text = text.partition(") ")[2]
    return text.splitlines()[0] if text else type(error).__name__


@contextlib.contextmanager
def about(subject: str) -> Iterator[None]:
    """Name ``subject`` (e.g. "reporting database") in the message of a known failure inside."""
    try:
        yield
    except (CommandFailure, SchemaMissing, UnsupportedDatabase):
        raise
    except Exception as error:
        lines = explain(error)
        if lines[-1] == DEBUG_HINT:
            raise
        reason = lines[0].removeprefix("database: ")
        raise CommandFailure("\n".join([f"{subject}: {reason}", *lines[1:]])) from error


class FailureReportingGroup(TyperGroup):
    """The root command group: reports failures briefly unless ``--debug``."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PASSED_THROUGH:
            raise
        except KeyboardInterrupt:
            if debug_requested(ctx):
                raise
            typer.echo("interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as error:
            if debug_requested(ctx):
                raise
            first, *more = explain(error)
            typer.echo(f"error: {first}", err=True)
            for line in more:
                typer.echo(f"  {line}", err=True)
            raise typer.Exit(EXIT_FAILURE) from None
