"""Which Chromium the browser tests launch."""

from pathlib import Path

from tests.browser import conftest


def test_it_prefers_the_headless_build_and_falls_back_to_the_full_browser(monkeypatch, tmp_path):
    shell, full = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    monkeypatch.setattr(conftest, "BROWSERS", (shell, full))
    monkeypatch.delenv("BROWSER", raising=False)
    assert conftest.chromium_executable() is None
    full.touch()
    assert conftest.chromium_executable() == full
    shell.touch()
    assert conftest.chromium_executable() == shell


def test_browser_names_the_binary_to_launch(monkeypatch):
    monkeypatch.setenv("BROWSER", "/usr/bin/chromium")
    assert conftest.chromium_executable() == Path("/usr/bin/chromium")
