"""Whether the ports ``eocms up`` wants are free, and which process holds a taken one.

A port is free when a listening socket can be bound to it the way uvicorn binds
(``SO_REUSEADDR``). The holder of a taken port is found on Linux from
``/proc/net/tcp`` and ``/proc/net/tcp6`` (the listening socket's inode) and
``/proc/<pid>/fd`` (which process has that inode open); elsewhere, or for
another user's process, the holder is simply not named.
"""

from __future__ import annotations

import errno
import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TCP_LISTEN = "0A"


@dataclass(frozen=True)
class PortHolder:
    """A process listening on a port."""

    pid: int
    command: str

    def __str__(self) -> str:
        return f"pid {self.pid} ({self.command})" if self.command else f"pid {self.pid}"


@dataclass(frozen=True)
class PortTaken:
    """A port some service wants that cannot be bound, with why and by whom."""

    service: str
    host: str
    port: int
    reason: str
    holder: PortHolder | None

    def __str__(self) -> str:
        held = f" by {self.holder}" if self.holder else ""
        return f"port {self.port} on {self.host} for {self.service} is {self.reason}{held}"


def taken_ports(wanted: dict[str, tuple[str, int]]) -> list[PortTaken]:
    """The ports of ``wanted`` (service -> (host, port)) that cannot be bound now."""
    taken = []
    for service, (host, port) in wanted.items():
        reason = bind_problem(host, port)
        if reason is not None:
            taken.append(PortTaken(service, host, port, reason, port_holder(port)))
    return taken


def bind_problem(host: str, port: int) -> str | None:
    """Why a listening socket cannot be bound on ``host:port``, or None if it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"not usable: unknown host ({error.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
            probe.listen(1)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return "already in use"
            return f"not usable: {error.strerror}"
    return None


def port_holder(port: int, proc: Path = PROC) -> PortHolder | None:
    """The process with a socket listening on ``port``, where /proc tells."""
    inodes = listening_inodes(port, proc)
    if not inodes:
        return None
    targets = {f"socket:[{inode}]" for inode in inodes}
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            descriptors = list((pid_dir / "fd").iterdir())
        except OSError:  # gone, or another user's
            continue
        for descriptor in descriptors:
            try:
                if os.readlink(descriptor) in targets:
                    return PortHolder(int(pid_dir.name), _command_line(pid_dir))
            except OSError:
                continue
    return None


def listening_inodes(port: int, proc: Path = PROC) -> set[str]:
    """Inodes of the sockets listening on ``port`` (IPv4 and IPv6)."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == TCP_LISTEN and int(local.rpartition(":")[2], 16) == port:
                inodes.add(inode)
    return inodes


def _command_line(pid_dir: Path) -> str:
    try:
        raw = (pid_dir / "cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:120]
