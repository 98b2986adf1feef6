"""Content-addressed files: ``<artifacts_dir>/ab/cdef...`` named by the sha256 of the content.

A file is written to a temporary name in the artifacts directory, fsynced, and renamed into
place with ``os.replace`` (atomic on one filesystem), so a crash or a full disk never leaves a
partial file under a final name; on any error the temporary file is removed and no row is
written. Identical content is stored once. The file is written before its row, so a row always
points at a complete file; a crash between the two leaves a complete file without a row, which
the next put of the same content adopts.

Ids come from URLs, so every sha256 is checked to be 64 lowercase hex digits before it is
turned into a path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import select

from neuralscope.store._session import Database, upsert
from neuralscope.store.errors import ArtifactNotFound
from neuralscope.store.models import Artifact
from neuralscope.store.models import RunArtifact as RunArtifactRow
from neuralscope.store.records import ArtifactRecord, RunArtifact
from neuralscope.store.runs import require_runs, utcnow

CHUNK_SIZE = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Readable(Protocol):
    """Anything with ``read(size) -> bytes``: an open file, an upload, a socket stream."""

    def read(self, size: int, /) -> bytes: ...


def _record(row: Artifact) -> ArtifactRecord:
    return ArtifactRecord(row.sha256, row.size, row.media_type, row.created_at)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ArtifactRepository:
    """Files by sha256, optionally attached to runs under a name."""

    def __init__(self, db: Database, root: Path) -> None:
        self._db = db
        self.root = root

    def _location(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ArtifactNotFound(sha256)
        return self.root / sha256[:2] / sha256[2:]

    def put_bytes(
        self, data: bytes, media_type: str, *, run_id: str | None = None, name: str | None = None
    ) -> ArtifactRecord:
        """Store ``data``; with ``run_id`` and ``name``, attach it to that run under that name."""
        return self.put_stream(BytesIO(data), media_type, run_id=run_id, name=name)

    def put_file(
        self, path: Path, media_type: str, *, run_id: str | None = None, name: str | None = None
    ) -> ArtifactRecord:
        """Store a copy of the file at ``path``, read in chunks."""
        with path.open("rb") as stream:
            return self.put_stream(stream, media_type, run_id=run_id, name=name)

    def put_stream(
        self,
        stream: Readable,
        media_type: str,
        *,
        run_id: str | None = None,
        name: str | None = None,
    ) -> ArtifactRecord:
        """Store everything ``stream`` yields, hashing while writing (constant memory)."""
        if (run_id is None) != (name is None):
            raise ValueError("give both run_id and name, or neither")
        if run_id is not None:
            with self._db.read() as session:
                require_runs(session, [run_id])  # before writing a file nobody would own
        sha256, size = self._write_file(stream.read)
        with self._db.write() as session:
            if run_id is not None:
                require_runs(session, [run_id])
            upsert(
                session,
                Artifact,
                [
                    {
                        "sha256": sha256,
                        "size": size,
                        "media_type": media_type,
                        "created_at": utcnow(),
                    }
                ],
                keys=["sha256"],
            )
            if run_id is not None:
                link = {"run_id": run_id, "name": name, "sha256": sha256}
                upsert(session, RunArtifactRow, [link], keys=["run_id", "name"], update=["sha256"])
            row = session.get(Artifact, sha256)
            assert row is not None
            return _record(row)

    def _write_file(self, read: Callable[[int], bytes]) -> tuple[str, int]:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=self.root)
        temp = Path(temp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                while chunk := read(CHUNK_SIZE):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            final = self._location(sha256)
            final.parent.mkdir(exist_ok=True)
            # Replacing an identical file is harmless and repairs one damaged outside the store.
            os.replace(temp, final)
            _fsync_dir(final.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise
        return sha256, size

    def link(self, sha256: str, *, run_id: str, name: str) -> None:
        """Attach an already stored artifact to a run under ``name`` (replacing that name)."""
        with self._db.write() as session:
            require_runs(session, [run_id])
            if session.get(Artifact, sha256) is None:
                raise ArtifactNotFound(sha256)
            link = {"run_id": run_id, "name": name, "sha256": sha256}
            upsert(session, RunArtifactRow, [link], keys=["run_id", "name"], update=["sha256"])

    def get(self, sha256: str) -> ArtifactRecord:
        """The artifact's record, or :class:`ArtifactNotFound`."""
        self._location(sha256)
        with self._db.read() as session:
            row = session.get(Artifact, sha256)
            if row is None:
                raise ArtifactNotFound(sha256)
            return _record(row)

    def path(self, sha256: str) -> Path:
        """Where the artifact's file lies (for streaming responses); read it, never write it."""
        location = self._location(sha256)
        if not location.is_file():
            raise ArtifactNotFound(sha256)
        return location

    def open(self, sha256: str) -> BinaryIO:
        """The artifact's content, opened for reading; the caller closes it."""
        try:
            return self._location(sha256).open("rb")
        except FileNotFoundError:
            raise ArtifactNotFound(sha256) from None

    def list_for_run(self, run_id: str) -> list[RunArtifact]:
        """The run's artifacts by name."""
        query = (
            select(RunArtifactRow.name, Artifact)
            .join(Artifact, Artifact.sha256 == RunArtifactRow.sha256)
            .where(RunArtifactRow.run_id == run_id)
            .order_by(RunArtifactRow.name)
        )
        with self._db.read() as session:
            return [
                RunArtifact(run_id=run_id, name=name, artifact=_record(row))
                for name, row in session.execute(query)
            ]
