"""The ceiling of an HTTP command: a bare FastAPI app doing one asyncpg INSERT per request.

Run as its own process, as a service runs (``python -m benchmarks.bare_endpoint
--port P``, database from ``BENCH_BARE_DSN``), so the command benchmark compares
like with like: one uvicorn process, one request, one JSON body in, one committed
row and one JSON answer out. No authentication, validation beyond pydantic,
idempotency, event store or outbox: what a service costs above this is our code.
"""

from __future__ import annotations

import argparse
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bare_commands ("
    " id uuid PRIMARY KEY, site_id text NOT NULL, body jsonb NOT NULL,"
    " recorded_at timestamptz NOT NULL DEFAULT now())"
)
INSERT_SQL = "INSERT INTO bare_commands (id, site_id, body) VALUES ($1, $2, $3)"


class Command(BaseModel):
    """The request body: a site and a free-form document, like a registration."""

    site_id: str
    body: dict[str, object]


def create_app(dsn: str, pool_size: int = 10) -> FastAPI:
    """The one-endpoint app on a pool of ``pool_size`` asyncpg connections."""
    state: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=pool_size)
        await pool.execute(TABLE_SQL)
        state["pool"] = pool
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/commands", status_code=201)
    async def command(command: Command) -> dict[str, str]:
        command_id = uuid.uuid4()
        await state["pool"].execute(
            INSERT_SQL, command_id, command.site_id, json.dumps(command.body)
        )
        return {"id": str(command_id)}

    return app


def main() -> None:
    """Serve the app on 127.0.0.1:``--port``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_app(os.environ["BENCH_BARE_DSN"])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
