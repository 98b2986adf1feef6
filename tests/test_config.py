"""Settings: environment first, flags (init arguments) over it, sensible defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuralscope.config import Settings


def test_defaults_are_local_and_embedded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = Settings()
    assert settings.home == tmp_path / ".neuralscope"
    assert settings.db_url == f"sqlite:///{tmp_path / '.neuralscope' / 'neuralscope.db'}"
    assert (settings.host, settings.port, settings.token) == ("127.0.0.1", 8765, None)
    assert settings.is_loopback


def test_flags_override_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEURALSCOPE_HOME", str(tmp_path / "from-env"))
    monkeypatch.setenv("NEURALSCOPE_PORT", "9000")
    monkeypatch.setenv("NEURALSCOPE_TOKEN", "env-token")
    from_env = Settings()
    assert from_env.home == tmp_path / "from-env"
    assert from_env.port == 9000
    assert from_env.token_value() == "env-token"
    flagged = Settings(port=9100, home=tmp_path / "from-flag", database_url="sqlite:///x.db")
    assert (flagged.port, flagged.home, flagged.db_url) == (
        9100,
        tmp_path / "from-flag",
        "sqlite:///x.db",
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert Settings(host=host).is_loopback is loopback


def test_token_is_not_in_the_repr() -> None:
    assert "hunter2" not in repr(Settings(token="hunter2"))
