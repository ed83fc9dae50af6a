"""Intake's use cases: each takes its command (:mod:`.commands`), then collaborators."""

from services.intake.app.client_record import ClientRecord
from services.intake.app.clients import register_client, update_profile
from services.intake.app.commands import RegisterClient, UpdateProfile
from services.intake.app.erasure import erase_personal_details
from services.intake.app.errors import NoRuleBookForDate, UnknownClient
from services.intake.app.ports import Clients
from services.intake.app.queries import get_client, get_client_summary

__all__ = [
    "ClientRecord",
    "Clients",
    "NoRuleBookForDate",
    "RegisterClient",
    "UnknownClient",
    "UpdateProfile",
    "erase_personal_details",
    "get_client",
    "get_client_summary",
    "register_client",
    "update_profile",
]
