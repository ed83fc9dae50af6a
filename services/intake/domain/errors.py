"""Why an intake command was refused: one exception class per rule."""

from __future__ import annotations


class IntakeError(Exception):
    """Base of the intake domain's errors; the message says what was refused and why."""


class ClientAlreadyRegistered(IntakeError):
    """The client already has a registration; a client is registered once."""


class ClientNotRegistered(IntakeError):
    """The command needs a registered client."""


class InvalidProfile(IntakeError, ValueError):
    """The profile facts are incomplete, out of range or inconsistent."""


class InvalidPersonalDetails(IntakeError, ValueError):
    """The personal details are invalid; the message never repeats the values."""


class DateInFuture(IntakeError, ValueError):
    """A date the command records is after today."""


class DateBeforeRegistration(IntakeError, ValueError):
    """A date the command records is before the client's registration."""


class WrongRuleBook(IntakeError, ValueError):
    """The rule book given is not the one of the fiscal year the decision falls in."""
