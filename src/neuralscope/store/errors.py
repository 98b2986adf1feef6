"""The errors the store raises; callers catch these, never SQLAlchemy's."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened (the message names the URL, password masked)."""


class RunNotFound(StoreError, KeyError):
    """No run has this id."""

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.run_id = run_id

    def __str__(self) -> str:
        return f"no run with id {self.run_id!r}"


class ArtifactNotFound(StoreError, KeyError):
    """No artifact has this sha256 (or the id is not a sha256 at all)."""

    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256

    def __str__(self) -> str:
        return f"no artifact with sha256 {self.sha256!r}"
