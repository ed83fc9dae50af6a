"""structlog configuration: JSON off a terminal, readable (coloured) on one.

``configure_logging`` is called once by a composition root. Every log line of
the process goes through one structlog renderer: structlog's own loggers and
the standard library's (uvicorn and its access log, Alembic, aiokafka,
SQLAlchemy), plus FastStream's, which writes to its own handlers unless they
are replaced here. Each line carries ``service`` and whatever is bound in
contextvars: ``correlation_id`` during a request (bound by the correlation
middleware, so uvicorn's access line has it too), ``event_id`` while an event
is handled. Colours only when the output is a terminal.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

FASTSTREAM_LOGGERS = ("faststream", "faststream.access.kafka")
"""FastStream's loggers: they never propagate and bring their own colourised handlers."""

_service = "eocms"


def configure_logging(service: str, level: str = "INFO", fmt: str = "auto") -> None:
    """Configure structlog and the standard library logging once per process."""
    global _service
    _service = service
    json_output = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    # Never render local variables in tracebacks: they can hold tokens or personal data.
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if json_output
        else structlog.dev.ConsoleRenderer(
            colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    )
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        _add_service,
        structlog.stdlib.add_logger_name,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    numeric_level = logging.getLevelName(level.upper())
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                *shared,
                structlog.stdlib.ExtraAdder(),
                _describe_access_line,
            ],
            pass_foreign_args=True,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric_level)
    _route_faststream()


def _add_service(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    event.setdefault("service", _service)
    return event


def _describe_access_line(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """uvicorn's access line as fields too: client, method, path, status.

    uvicorn's ``color_message`` extra (the message with terminal colour codes) is dropped.
    """
    event.pop("color_message", None)
    args: tuple[Any, ...] = tuple(event.pop("positional_args", None) or ())
    record = event.get("_record")
    if record is not None and record.name == "uvicorn.access" and len(args) == 5:
        client, method, path, _version, status = args
        event.update(client=client, method=method, path=path, status=status)
    return event


class _ToRoot(logging.StreamHandler):  # type: ignore[type-arg]
    """Hands FastStream's records to the root handler.

    FastStream adds its own stdout handler to its broker logger unless one is
    there already, so this poses as one (a StreamHandler on the current
    ``sys.stdout``) and forwards instead of writing.
    """

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, _: Any) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        root = logging.getLogger()
        if record.levelno >= root.level:
            root.handle(record)


def _route_faststream() -> None:
    import faststream._internal.logger.logging  # noqa: F401  (creates its logger and handler)

    for name in FASTSTREAM_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [_ToRoot()]
        logger.propagate = False


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    """A structlog logger; cheap, safe to call at import time (it binds lazily)."""
    return structlog.get_logger(name)  # type: ignore[no-any-return]
