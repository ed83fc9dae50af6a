"""structlog configuration: JSON off a terminal, readable on one.

``configure_logging`` is called once by a composition root; code binds
``correlation_id``, ``event_id`` and ``service`` through contextvars or
``logger.bind``.
"""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(service: str, level: str = "INFO", fmt: str = "auto") -> None:
    """Configure structlog and the standard library logging once per process."""
    json_output = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    # Never render local variables in tracebacks: they can hold tokens or personal data.
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json_output
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(message)s")


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    """A structlog logger; cheap, safe to call at import time (it binds lazily)."""
    return structlog.get_logger(name)
