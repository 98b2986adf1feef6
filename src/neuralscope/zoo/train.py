"""Train the zoo with neuralscope's own engine and write it to a folder.

Every entry is trained by a :class:`~neuralscope.training.Session` (the Playground's engine)
for ``round(steps * scale)`` steps (at least one), then evaluated once on its validation split;
its weights go to ``<name>.safetensors`` and a :class:`~neuralscope.zoo.catalog.ZooCard` to
``<name>.json``. Each file is written to a temporary name and renamed, so an interrupted
training never leaves a half-written entry that looks installed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from neuralscope.training import Session
from neuralscope.training.export import export_spec, to_safetensors
from neuralscope.zoo.catalog import ZooCard, card_path, weights_path
from neuralscope.zoo.entries import ZOO, ZooEntry

PROGRESS_EVERY = 50


@dataclass(frozen=True)
class ZooProgress:
    """Where training stands: ``step`` of ``total`` for the entry ``name``."""

    name: str
    step: int
    total: int


ProgressCallback = Callable[[ZooProgress], None]


def entry_steps(entry: ZooEntry, scale: float) -> int:
    """The steps an entry trains for at ``scale`` (at least one)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")
    return max(1, round(entry.steps * scale))


def _write(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    temp.replace(path)


def train_entry(
    entry: ZooEntry,
    out_dir: Path,
    scale: float = 1.0,
    progress: ProgressCallback | None = None,
) -> ZooCard:
    """Train one entry, write its weights and card into ``out_dir``, return the card."""
    total = entry_steps(entry, scale)
    began = time.perf_counter()
    session = Session(entry.config)
    session.start()
    for step in range(1, total + 1):
        session.step()
        if progress is not None and (step % PROGRESS_EVERY == 0 or step == total):
            progress(ZooProgress(entry.name, step, total))
    _, val, metrics = session.evaluate_all()
    summary = {k: v for k, v in metrics.items() if k.startswith("val/")}
    summary["val/loss"] = val.loss
    if session.task != "regression":
        summary["val/accuracy"] = val.accuracy
    card = ZooCard(
        name=entry.name,
        title=entry.title,
        description=entry.description,
        export=export_spec(entry.config.spec, entry.config.data),
        config=entry.config,
        steps=session.global_step,
        scale=scale,
        seconds=round(time.perf_counter() - began, 3),
        metrics=summary,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    # Weights first: the card is what marks an entry installed, so it is written last.
    _write(weights_path(out_dir, entry.name), to_safetensors(session.model))
    _write(card_path(out_dir, entry.name), card.model_dump_json(indent=2).encode())
    return card


def train_zoo(
    out_dir: Path,
    scale: float = 1.0,
    *,
    entries: Sequence[ZooEntry] = ZOO,
    progress: ProgressCallback | None = None,
) -> list[ZooCard]:
    """Train every entry (``entries``: all by default) into ``out_dir``; returns their cards."""
    return [train_entry(entry, out_dir, scale, progress) for entry in entries]
