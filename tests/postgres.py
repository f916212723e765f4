"""A real PostgreSQL server for the tests, started from Debian's binaries on 127.0.0.1 and a free port.

One server per test session; each test gets its own database, copied from a migrated template (fast).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

ADMIN_USER = "companion"
TEMPLATE = "companion_template"


def server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = _free_port()
        # tmp_path lives under an owner-only folder the postgres user cannot enter: use /tmp directly.
        self.root = Path(tempfile.mkdtemp(prefix="companion-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_root = os.geteuid() == 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if self._as_root:  # PostgreSQL refuses to run as root
            shutil.chown(self.root, "postgres")
        self._run(
            str(self.binaries / "initdb"),
            "-D",
            str(self.data),
            "-U",
            ADMIN_USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        self._start_server()

    def stop(self) -> None:
        self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """Start it again after stop(), on the same port, with the same data."""
        self._start_server()

    def _start_server(self) -> None:
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off",
            "start",
        )

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{ADMIN_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self):
        return psycopg.connect(f"host=127.0.0.1 port={self.port} user={ADMIN_USER} dbname=postgres", autocommit=True)

    def create_template(self) -> None:
        """A database migrated to the current schema once, copied for each test."""
        from companion.storage.database import open_engine

        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{TEMPLATE}"')
        engine = open_engine(self.url(TEMPLATE))
        engine.dispose()

    def new_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
