"""Settings from the environment (``NEURALSCOPE_*``) and command-line flags.

One frozen object is built at the edge (CLI, server factory, tests) and passed down; nothing
below the edges reads the environment.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Device = Literal["auto", "cpu", "cuda"]


class Settings(BaseSettings):
    """Where neuralscope keeps its data and how the server listens."""

    model_config = SettingsConfigDict(env_prefix="NEURALSCOPE_", frozen=True, extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".neuralscope")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in the home directory"
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=1, le=65535)
    token: SecretStr | None = None
    device: Device = "auto"
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(
        default=2 * 1024**3, ge=1024, description="Limit for model uploads (streamed to disk)"
    )

    @model_validator(mode="after")
    def _expand_home(self) -> Settings:
        object.__setattr__(self, "home", self.home.expanduser())
        return self

    @property
    def db_url(self) -> str:
        """The database URL in use: the configured one or ``sqlite:///<home>/neuralscope.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'neuralscope.db'}"

    @property
    def artifacts_dir(self) -> Path:
        return self.home / "artifacts"

    @property
    def datasets_dir(self) -> Path:
        """Cache of downloaded and imported datasets (MNIST, ...)."""
        return self.home / "datasets"

    @property
    def is_loopback(self) -> bool:
        """True when the server only listens on this machine."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def token_value(self) -> str | None:
        return self.token.get_secret_value() if self.token else None

    def resolve_device(self) -> str:
        """``auto`` becomes ``cuda`` when a GPU is usable, else ``cpu``."""
        if self.device != "auto":
            return self.device
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
