"""Shared by the load benchmarks: CPU used by `felles serve` (gunicorn's master and
workers) and by the PostgreSQL backends of the benchmark's database during the measured
seconds, read from /proc (Linux). CPU per request does not depend on what else the machine
is doing, so it tells what idle cores could serve even when the run shares them."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one process, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _server_pids(root: int) -> list[int]:
    """`felles serve` (gunicorn's master) and its workers."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return pids


def _database_pids(database: str) -> list[int]:
    """PostgreSQL backends serving `database` on this machine (by their process title)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                pids.append(int(entry.name))
    return pids


def _cpu(server: int, database: str) -> dict[int, float]:
    backends = _database_pids(database) if database else []
    return {pid: _cpu_seconds(pid) for pid in _server_pids(server) + backends}


def database_name(env: dict[str, str]) -> str:
    url = env.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[-1].split("?")[0] if url else ""


def measured_cpu(
    server: int, database: str, warmup: float, seconds: float, run: Any
) -> tuple[Any, dict[str, float]]:
    """Run `run()` (a load that measures from `warmup` + 2 s after its start for `seconds`)
    and take the CPU of the server's processes and of the database's backends at the start
    and the end of the measured seconds: {"server": s, "db": s}."""
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(run()))
    worker.start()
    time.sleep(warmup + 2)
    before = _cpu(server, database)
    server_pids = set(_server_pids(server))
    time.sleep(seconds)
    after = _cpu(server, database)
    worker.join()
    # (SQLite works inside the server's processes: its share counts as the server's.)
    used = {"server": 0.0, "db": 0.0}
    for pid, seconds in after.items():
        used["server" if pid in server_pids else "db"] += seconds - before.get(pid, 0.0)
    return outcome[0], used
