"""Artifacts: content addressing, deduplication, links to runs, and atomic writes."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from neuralscope.store import ArtifactNotFound, RunNotFound, Store
from neuralscope.store.artifacts import CHUNK_SIZE
from neuralscope.store.models import Artifact


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _artifact_rows(store: Store) -> int:
    with store.database.read() as session:
        return session.scalar(select(func.count()).select_from(Artifact)) or 0


def test_content_addressed_and_deduplicated(store: Store, artifacts_dir: Path) -> None:
    data = b"\x00weights\xff" * 1000
    sha = hashlib.sha256(data).hexdigest()
    first = store.artifacts.put_bytes(data, "application/octet-stream")
    second = store.artifacts.put_bytes(data, "application/octet-stream")
    assert first == second
    assert (first.sha256, first.size) == (sha, len(data))
    assert first.created_at.tzinfo is not None
    path = store.artifacts.path(sha)
    assert path == artifacts_dir / sha[:2] / sha[2:]
    assert _files(artifacts_dir) == [path]
    assert path.read_bytes() == data
    with store.artifacts.open(sha) as stream:
        assert stream.read() == data
    assert store.artifacts.get(sha) == first
    assert _artifact_rows(store) == 1


def test_one_file_many_runs(store: Store, tmp_path: Path, artifacts_dir: Path) -> None:
    a = store.runs.create(name="a", kind="search", config={}).id
    b = store.runs.create(name="b", kind="search", config={}).id
    source = tmp_path / "model.bin"
    source.write_bytes(os.urandom(3 * CHUNK_SIZE + 17))  # several chunks
    record = store.artifacts.put_file(source, "application/x-model", run_id=a, name="best")
    store.artifacts.link(record.sha256, run_id=b, name="copy")
    store.artifacts.put_bytes(b"log", "text/plain", run_id=a, name="log.txt")
    assert [(x.name, x.artifact.sha256) for x in store.artifacts.list_for_run(a)] == [
        ("best", record.sha256),
        ("log.txt", hashlib.sha256(b"log").hexdigest()),
    ]
    assert [x.name for x in store.artifacts.list_for_run(b)] == ["copy"]
    assert store.artifacts.path(record.sha256).read_bytes() == source.read_bytes()
    assert len(_files(artifacts_dir)) == 2

    # Re-using a name points it at the new content.
    newer = store.artifacts.put_bytes(b"better", "application/x-model", run_id=a, name="best")
    best = {x.name: x.artifact for x in store.artifacts.list_for_run(a)}["best"]
    assert best == newer


def test_wrong_ids_and_runs(store: Store) -> None:
    with pytest.raises(ArtifactNotFound):
        store.artifacts.get("0" * 64)
    for bad in ("../../etc/passwd", "ab", "A" * 64, "0" * 63 + "/"):
        with pytest.raises(ArtifactNotFound):
            store.artifacts.path(bad)
        with pytest.raises(ArtifactNotFound):
            store.artifacts.open(bad)
    with pytest.raises(RunNotFound):
        store.artifacts.put_bytes(b"x", "text/plain", run_id="ghost", name="x")
    with pytest.raises(ValueError, match="both"):
        store.artifacts.put_bytes(b"x", "text/plain", name="x")
    run_id = store.runs.create(name="r", kind="k", config={}).id
    with pytest.raises(ArtifactNotFound):
        store.artifacts.link("0" * 64, run_id=run_id, name="x")
    assert _artifact_rows(store) == 0


class _FailingReader:
    """Yields a few chunks, then fails like a dropped upload."""

    def __init__(self, chunks: int) -> None:
        self.left = chunks

    def read(self, size: int, /) -> bytes:
        if self.left == 0:
            raise ConnectionResetError("client went away")
        self.left -= 1
        return b"z" * max(size, 1)


def test_failure_mid_stream_leaves_nothing(store: Store, artifacts_dir: Path) -> None:
    with pytest.raises(ConnectionResetError):
        store.artifacts.put_stream(_FailingReader(chunks=3), "application/octet-stream")
    assert _files(artifacts_dir) == []
    assert _artifact_rows(store) == 0


def test_disk_full_leaves_nothing(
    store: Store, artifacts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError, match="No space left"):
        store.artifacts.put_bytes(b"data" * 100, "application/octet-stream")
    monkeypatch.undo()
    assert _files(artifacts_dir) == []
    assert _artifact_rows(store) == 0
    sha = hashlib.sha256(b"data" * 100).hexdigest()
    with pytest.raises(ArtifactNotFound):
        store.artifacts.path(sha)
    # And the next attempt works.
    assert store.artifacts.put_bytes(b"data" * 100, "text/plain").sha256 == sha
    assert _files(artifacts_dir) == [store.artifacts.path(sha)]
