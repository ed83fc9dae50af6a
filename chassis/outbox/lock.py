"""The PostgreSQL advisory lock that makes one relay the publisher of a database.

A session-level lock lives as long as the connection that took it: if the
relay process dies, the server ends its session and the lock is free again, so
a standby relay can take over without any lease or timeout of ours. Advisory
locks are per database, so the relays of different services never contend.
"""

from __future__ import annotations

import asyncpg

RELAY_LOCK_KEY = 0x656F636D_736F7574  # "eocmsout": one fixed 64-bit key for every relay
"""The advisory lock key; any relay of any version must use the same one."""


async def try_lock(connection: asyncpg.Connection, key: int = RELAY_LOCK_KEY) -> bool:
    """Take the session lock if nobody holds it; never waits."""
    return bool(await connection.fetchval("SELECT pg_try_advisory_lock($1)", key))


async def unlock(connection: asyncpg.Connection, key: int = RELAY_LOCK_KEY) -> None:
    """Give the lock back while keeping the connection (before it returns to a pool)."""
    await connection.execute("SELECT pg_advisory_unlock($1)", key)
