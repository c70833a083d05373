"""Settings fail loudly on bad production values; production settings pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from diagnosis.env import database_from_url, env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k8Jr2-pQw9zXvT4mYb7nLc3sHd6fGa1eRu5iOo0PlKjMnBvCxZ_qWeRtYuIoPaSdF",
    "ALLOWED_HOSTS": "diagnosis.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    ignored = {"DEBUG", "SECRET_KEY", "CI", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", env={"DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    env = {**PRODUCTION, "VAR_DIR": str(tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_it_rejects_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG='maybe' is not a boolean"):
        env_bool("SOME_FLAG")


def test_it_rejects_an_integer_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="is not an integer"):
        env_int("SOME_NUMBER", 3)


def test_it_uses_sqlite_when_there_is_no_database_url():
    config = database_from_url("", sqlite_default="/tmp/x.sqlite3")
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"}


def test_it_reads_a_postgres_url():
    config = database_from_url("postgres://app:s%40cret@db.internal:6543/diag", sqlite_default="")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("diag", "app", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6543")


def test_it_rejects_an_unsupported_database_url():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://root@localhost/x", sqlite_default="")
