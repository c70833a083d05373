"""A real database outage for tests, on whichever database the suite runs.

PostgreSQL: the test database stops accepting connections and its sessions are
terminated, as in a restart or a failover. SQLite has no server to lose; what an app on
SQLite meets instead is a database it cannot open, most often because another process
holds the file's exclusive lock (a backup, a long write elsewhere). A second connection
takes that lock here. Two settings differ from production on SQLite, both said here: the
app's connections close after each request (CONN_MAX_AGE=0, set for the whole suite
in tests/conftest.py: in WAL mode an open connection keeps the lock from being taken,
and the live server's keep-alive threads outlive their tests), and its busy timeout (20 s) is
shortened during the outage, so that a request gives up at once with the same
"database is locked" error instead of after 20 s.

Use it through the `database_outage` fixture (tests/conftest.py).
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection, connections
from psycopg import sql


@contextmanager
def database_outage() -> Iterator[None]:
    """Make the test database unreachable for every new or open connection until exit."""
    outage = _postgres_outage if connection.vendor == "postgresql" else _sqlite_outage
    with outage():
        yield
    # What a server's next request does anyway: drop the connections the outage broke.
    connections.close_all()


@contextmanager
def _postgres_outage() -> Iterator[None]:
    settings = connection.settings_dict
    name = settings["NAME"]
    assert name.startswith("test_"), f"refusing to cut off {name!r}: not a test database"
    admin = psycopg.connect(
        dbname="postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    database = sql.Identifier(name)
    with admin:
        admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(database))
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            yield
        finally:
            admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(database))


@contextmanager
def _sqlite_outage() -> Iterator[None]:
    options = connection.settings_dict["OPTIONS"]
    busy_timeout = options.get("timeout")
    options["timeout"] = 0.05
    # In WAL mode every open connection holds a shared lock: close this thread's ones.
    # (The live server closes its own after each request; see also the browser fixture.)
    connections.close_all()
    locker = sqlite3.connect(connection.settings_dict["NAME"], timeout=10, isolation_level=None)
    try:
        locker.execute("PRAGMA locking_mode=EXCLUSIVE")
        locker.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        locker.close()
        if busy_timeout is None:
            options.pop("timeout", None)
        else:
            options["timeout"] = busy_timeout
