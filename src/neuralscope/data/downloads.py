"""Fetching published dataset files: streamed to a temp file, checksum verified, renamed.

A download never leaves a partial or unverified file behind: the bytes stream into a temp file
in the target folder while being hashed; only when the digest equals the published one
(MD5 for torchvision's tables, SHA-256 for Keras') is the file renamed to its final name
(``os.replace`` is atomic within one file system). Any failure removes the temp file. The
callers stage downloads in a temp folder and write the cache only from verified files.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Algorithm = Literal["md5", "sha256"]
Progress = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)
FileProgress = Callable[[str, int, int | None], None]  # (file name, bytes so far, total)
CHUNK = 1 << 20


class DatasetFileError(ValueError):
    """A dataset file that is missing, corrupted, truncated or fails its checksum."""


class DownloadError(RuntimeError):
    """The network failed; the message says how to import the files instead."""


@dataclass(frozen=True)
class Remote:
    """One published file: where it is, its name, and its published digest."""

    url: str
    filename: str
    digest: str
    algorithm: Algorithm = "md5"

    def at(self, mirror: str | None, digest: str | None = None) -> Remote:
        """The same file from another base URL and/or with another expected digest (tests)."""
        url = self.url if mirror is None else mirror.rstrip("/") + "/" + self.filename
        return Remote(url, self.filename, digest or self.digest, self.algorithm)


@dataclass(frozen=True)
class FetchOptions:
    """How to download: another mirror and checksum table (tests, local mirrors), progress."""

    mirror: str | None = None  # base URL replacing the published one
    checksums: dict[str, str] | None = None  # published file name -> digest, replacing ours
    progress: FileProgress | None = None
    timeout_s: float = 60.0

    def resolve(self, remote: Remote) -> Remote:
        """``remote`` as these options fetch and check it."""
        return remote.at(self.mirror, (self.checksums or {}).get(remote.filename))


def file_digest(path: Path, algorithm: Algorithm) -> str:
    """Hex digest of a file, read in 1 MiB chunks."""
    h = hashlib.new(algorithm, usedforsecurity=False)
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(path: Path, remote: Remote) -> None:
    """Raise :class:`DatasetFileError` unless ``path`` has ``remote``'s published digest."""
    got = file_digest(path, remote.algorithm)
    if got != remote.digest:
        raise DatasetFileError(
            f"{path}: checksum mismatch ({remote.algorithm} {got}, expected {remote.digest});"
            " the file is corrupted, truncated or not the published one"
        )


def fetch(
    remote: Remote,
    directory: Path,
    *,
    progress: Progress | None = None,
    timeout_s: float = 60.0,
) -> Path:
    """Download ``remote`` into ``directory/remote.filename``, verified; returns that path."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{remote.filename}.", suffix=".part")
    tmp = Path(tmp_name)
    h = hashlib.new(remote.algorithm, usedforsecurity=False)
    try:
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(remote.url, timeout=timeout_s) as response,
        ):
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            while chunk := response.read(CHUNK):
                out.write(chunk)
                h.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        if total is not None and done != total:
            raise DatasetFileError(f"{remote.url}: truncated download ({done} of {total} bytes)")
        if h.hexdigest() != remote.digest:
            raise DatasetFileError(
                f"{remote.url}: checksum mismatch ({remote.algorithm} {h.hexdigest()},"
                f" expected {remote.digest}); nothing was stored"
            )
        final = directory / remote.filename
        tmp.replace(final)
        return final
    except http.client.IncompleteRead as exc:
        raise DatasetFileError(f"{remote.url}: truncated download ({exc})") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise DownloadError(f"could not download {remote.url}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def staging(datasets_dir: Path, name: str) -> Iterator[Path]:
    """A temp folder beside the cache (same file system), removed afterwards whatever happens."""
    datasets_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=datasets_dir, prefix=f".staging-{name}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
