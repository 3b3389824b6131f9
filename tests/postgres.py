"""A private PostgreSQL cluster on a free 127.0.0.1 port, in a temporary directory, stopped and removed
afterwards: the tests' `postgres` fixture (tests/conftest.py) and `make bench-web` (tools/bench_web.py)
both start theirs here. Debian's PostgreSQL binaries; run as `postgres` when we are root."""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@dataclass(frozen=True)
class PostgresServer:
    port: int

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"cme_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


def postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    assert found, f"PostgreSQL's {name} is missing: install Debian's postgresql (make test does)"
    return str(found[-1])


@contextmanager
def private_postgres(*settings: str) -> Iterator[PostgresServer]:
    """Start a cluster (extra `-c` settings such as "shared_buffers=256MB"), yield it, stop and remove it."""
    root = Path(tempfile.mkdtemp(prefix="cme-postgres-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chown(sockets, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    try:
        subprocess.run([*as_user, postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                        "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
        port = free_port()
        extra = [arg for setting in settings for arg in ("-c", setting)]
        proc = subprocess.Popen([*as_user, postgres_bin("postgres"), "-D", str(data), "-p", str(port),
                                 "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={sockets}",
                                 "-c", "fsync=off", "-c", "max_connections=50", *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            try:
                wait_for_port(port, timeout=30)
            except RuntimeError:
                proc.kill()
                raise RuntimeError("PostgreSQL did not start:\n"
                                   + proc.communicate(timeout=5)[0].decode(errors="replace")) from None
            yield PostgresServer(port)
        finally:
            # fast shutdown: do not wait for the caller's pooled connections to close
            subprocess.run([*as_user, postgres_bin("pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w"],
                           capture_output=True, timeout=30)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)
