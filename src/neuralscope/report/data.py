"""Everything the report draws, read once from the store for one run."""

from __future__ import annotations

from dataclasses import dataclass

from neuralscope.events import (
    CalibrationPayload,
    EventKind,
    HistogramsPayload,
    LayerStatsPayload,
    SamplesPayload,
)
from neuralscope.findings import Finding
from neuralscope.store import RunRecord, Series, Store

GOOD_SIGNS = frozenset({"loss_decreasing", "gradients_shrinking", "confidence_rising"})
OPPORTUNITIES = frozenset({"learning_rate_change", "width_change", "initialization_change"})


@dataclass(frozen=True)
class ReportData:
    run: RunRecord
    series: dict[str, Series]
    histograms: list[tuple[int, HistogramsPayload]]
    layer_stats: list[tuple[int, LayerStatsPayload]]
    calibration: list[tuple[int, CalibrationPayload]]
    samples: list[tuple[int, SamplesPayload]]
    findings: list[Finding]

    @property
    def good_signs(self) -> list[Finding]:
        return [f for f in self.findings if f.code in GOOD_SIGNS]

    @property
    def opportunities(self) -> list[Finding]:
        return [f for f in self.findings if f.code in OPPORTUNITIES]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.code not in GOOD_SIGNS | OPPORTUNITIES]


def load_report_data(store: Store, run_id: str) -> ReportData:
    """The run's series, snapshots and findings (``RunNotFound`` if there is no such run)."""
    run = store.runs.get(run_id)

    def payloads(kind: EventKind) -> list[tuple[int, object]]:
        return [(e.step, e.payload) for e in store.snapshots.list(run_id, kind)]

    findings = [e.payload for e in store.events.list(run_id, kinds=[EventKind.FINDING])]
    return ReportData(
        run=run,
        series=store.metrics.series(run_id),
        histograms=[
            (s, p) for s, p in payloads(EventKind.HISTOGRAMS) if isinstance(p, HistogramsPayload)
        ],
        layer_stats=[
            (s, p) for s, p in payloads(EventKind.LAYER_STATS) if isinstance(p, LayerStatsPayload)
        ],
        calibration=[
            (s, p) for s, p in payloads(EventKind.CALIBRATION) if isinstance(p, CalibrationPayload)
        ],
        samples=[(s, p) for s, p in payloads(EventKind.SAMPLES) if isinstance(p, SamplesPayload)],
        findings=[f for f in findings if isinstance(f, Finding)],
    )
