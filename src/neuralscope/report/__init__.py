"""The visual report of a watched run: PNG figures and an ``index.html`` that explains them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from neuralscope.report import figures
from neuralscope.report.data import ReportData, load_report_data
from neuralscope.report.page import render_page
from neuralscope.store import Store

_DRAW: dict[str, Callable[[ReportData, Path], str | None]] = {
    "progress.png": figures.progress,
    "samples.png": figures.samples,
    "weights.png": figures.weights,
    "activations.png": figures.activations,
    "gradients.png": figures.gradients,
    "confidence.png": figures.confidence,
}


def render_report(store: Store, run_id: str, out: Path) -> list[Path]:
    """Write the figures the run has data for and ``index.html`` into ``out``; return paths."""
    out.mkdir(parents=True, exist_ok=True)
    data = load_report_data(store, run_id)
    shown: dict[str, str | None] = {}
    written: list[Path] = []
    for name, draw in _DRAW.items():
        path = out / name
        sentence = draw(data, path)
        if path.exists():
            shown[name] = sentence
            written.append(path)
    index = out / "index.html"
    index.write_text(render_page(data, shown), encoding="utf-8")
    return [*written, index]


__all__ = ["ReportData", "load_report_data", "render_report"]
