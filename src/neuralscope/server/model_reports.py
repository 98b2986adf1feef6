"""A bounded, per-app cache of one ``ModelReport`` per uploaded model, keyed by sha256.

Analysis is pure and deterministic for a given file, so a report computed once serves every
section route. Each key has its own lock, so concurrent requests for one model compute it once
while other models are analysed in parallel; least recently used reports are dropped first.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import torch

from neuralscope.analysis import ModelReport, analyze

DEFAULT_CAPACITY = 16


class AnalysisFailed(Exception):
    """The model loaded but could not be analysed (e.g. the example input does not fit it)."""


def analyze_artifact(path: Path, name: str, input_shape: list[int] | None) -> ModelReport:
    """Analyze a stored model file; the loader reads some formats by suffix, so the artifact
    (stored without one) is linked under the uploaded name's suffix first. The example input
    is drawn from a fixed seed, so a model's report does not depend on when it was computed."""
    example = (
        torch.randn(*input_shape, generator=torch.Generator().manual_seed(0))
        if input_shape
        else None
    )
    with tempfile.TemporaryDirectory(prefix="neuralscope-model-") as tmp:
        link = Path(tmp) / f"model{Path(name).suffix.lower()}"
        link.symlink_to(path.resolve())
        try:
            report = analyze(link, example_input=example)
        except (RuntimeError, ValueError, TypeError, IndexError, AssertionError) as exc:
            shape = f" with input shape {input_shape}" if input_shape else ""
            raise AnalysisFailed(f"{name}: the analysis failed{shape}: {exc}") from exc
    return report.model_copy(update={"source": name})


class ReportCache:
    """``get(sha256, compute)`` returns the cached report or computes it once."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._reports: OrderedDict[str, ModelReport] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._reports)

    def get(self, key: str, compute: Callable[[], ModelReport]) -> ModelReport:
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key]
            key_lock = self._locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._reports:
                    return self._reports[key]
            report = compute()
            with self._lock:
                self._reports[key] = report
                while len(self._reports) > self.capacity:
                    old, _ = self._reports.popitem(last=False)
                    self._locks.pop(old, None)
                self._locks.pop(key, None)
        return report
