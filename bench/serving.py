"""Run the app under gunicorn for the benchmarks that measure over HTTP (bench/rps.py and
bench/load.py). Not a script of its own.

A run gets its own database: PostgreSQL when DATABASE_URL names one or a server answers on
127.0.0.1:5432 (as the root role, like `make test`), with a database name of its own that is
made afresh and dropped at the end; else a SQLite file in a temporary folder. The settings are
bench/bench_settings.py (production settings, plain HTTP on 127.0.0.1); secrets are random per
run and the private folders are temporary. Nothing is written into the repository.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_LOCAL_URL = "postgres://root@127.0.0.1:5432/postgres"
DEMO_EMAIL = "schoolleider@regenboog.example"
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the demo data's published password


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_url(name: str) -> str | None:
    """The URL of database `name` on the PostgreSQL server of DATABASE_URL, or on the local
    server when one answers; None without PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        if not port_open("127.0.0.1", 5432):
            return None
        url = PG_LOCAL_URL
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return admin, parts.path.lstrip("/")


def create_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@dataclass
class Site:
    """Everything a run needs: the environment for manage.py and gunicorn, and its folder."""

    env: dict[str, str]
    folder: Path
    database: str  # for the report: "PostgreSQL zio_bench" or "SQLite file"


@contextmanager
def site(folder: Path, name: str, *, require_postgres: bool = False) -> Iterator[Site]:
    """A migrated database with the demo data, dropped again at the end."""
    url = postgres_url(name)
    if url is None and require_postgres:
        raise SystemExit(
            "This needs PostgreSQL: set DATABASE_URL or run a server on 127.0.0.1:5432."
        )
    if url is not None:
        create_postgres(url)
        described = f"PostgreSQL, database {name}"
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        described = "SQLite file"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PUPIL_CODE_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PRIVATE_UPLOAD_ROOT": str(folder / "private"),
        "MEDIA_ROOT": str(folder / "media"),
        # Persistent connections, as production should run (docs/deployment.md).
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    try:
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "seed_demo")
        yield Site(env=env, folder=folder, database=described)
    finally:
        if url.startswith("postgres"):
            drop_postgres(url)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def gunicorn(where: Site, workers: int) -> Iterator[str]:
    """gunicorn with `workers` sync workers on a free port; yields the base URL and stops the
    server (and only it) at the end."""
    port = free_port()
    log = where.folder / "gunicorn.log"
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--error-logfile",
        str(log),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=where.env, start_new_session=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        problems = log.read_text() if log.exists() else ""
        if "Traceback" in problems:
            print(f"gunicorn logged errors:\n{problems[-3000:]}", file=sys.stderr)


def login(base: str, email: str, password: str) -> dict[str, str]:
    """Log in through the login form; returns the cookies of the session."""
    import requests

    client = requests.Session()
    page = client.get(f"{base}/inloggen/", timeout=30)
    page.raise_for_status()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the login page"
    answer = client.post(
        f"{base}/inloggen/",
        data={"csrfmiddlewaretoken": found[1], "username": email, "password": password},
        timeout=30,
    )
    if answer.status_code != 200 or answer.url.endswith("/inloggen/"):
        raise SystemExit(f"Logging in as {email} failed ({answer.status_code}).")
    return {name: value or "" for name, value in client.cookies.get_dict().items()}
