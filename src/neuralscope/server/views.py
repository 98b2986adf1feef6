"""Translate store records and live state into API models (shared by REST and WebSocket)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from neuralscope.data import dataset_info, make_dataset
from neuralscope.events import Event, EventKind
from neuralscope.final_model import has_final_model
from neuralscope.server.deps import Services
from neuralscope.server.schemas import DatasetPoints, LiveSnapshot, RunOut, Series
from neuralscope.store import RunRecord
from neuralscope.training import SessionConfig
from neuralscope.watching.config import WatchRunConfig

MARKER_KINDS = [EventKind.STATUS, EventKind.HYPERPARAMETERS, EventKind.FINDING]
LIVE_FRAME_KINDS = [
    EventKind.BOUNDARY,
    EventKind.LAYER_STATS,
    EventKind.GRADIENTS,
    EventKind.ACTIVATIONS,
]
CURVE_PREFIXES = ("train/", "val/")
# A request waits at most this long for recorded events to reach the database (503 after).
FLUSH_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class EventQuery:
    """Which recorded events of a run to list: discrete events of ``kinds`` (all when None),
    or, when ``snapshot`` is set, the snapshots of that one kind; after ``after_step``."""

    snapshot: EventKind | None = None
    kinds: Sequence[EventKind] | None = None
    after_step: int | None = None
    limit: int = 1000


def recorded_events(services: Services, run_id: str, query: EventQuery) -> list[Event]:
    """A run's recorded events as of now: read the run (RunNotFound, so 404, first), wait for
    the recorder to write what it holds (503 after ``FLUSH_TIMEOUT_S``), then list them."""
    services.store.runs.get(run_id)
    services.recorder.flush(timeout=FLUSH_TIMEOUT_S)
    if query.snapshot is not None:
        return services.store.snapshots.list(
            run_id, query.snapshot, after_step=query.after_step, limit=query.limit
        )
    return services.store.events.list(
        run_id, kinds=query.kinds, after_step=query.after_step, limit=query.limit
    )


def run_out(record: RunRecord, services: Services) -> RunOut:
    """The run as the API shows it (reads the run's artifact names: call it off the loop)."""
    live = services.runs.live(record.id)
    stored = record.kind != "watch" and has_final_model(
        services.store.artifacts.list_for_run(record.id)
    )
    return RunOut(
        id=record.id,
        name=record.name,
        kind=record.kind,
        status=record.status,
        config=WatchRunConfig.model_validate(record.config)
        if record.kind == "watch"
        else SessionConfig.model_validate(record.config),
        created_at=record.created_at,
        updated_at=record.updated_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        last_step=record.last_step,
        summary=record.summary,
        error=record.error,
        live=live is not None and not live.done,
        model_available=stored,
    )


def finite_or_none(values: list[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]


def series_out(
    services: Services, run_id: str, names: list[str] | None, max_points: int | None
) -> dict[str, Series]:
    raw = services.store.metrics.series(run_id, names, max_points=max_points)
    return {n: Series(steps=s.steps, values=finite_or_none(s.values)) for n, s in raw.items()}


def live_snapshot(services: Services, run_id: str, max_points: int = 2000) -> LiveSnapshot:
    """Everything needed to draw a run from scratch, as of now."""
    services.recorder.flush(timeout=FLUSH_TIMEOUT_S)
    record = services.store.runs.get(run_id)
    curve_names = [n for n in services.store.metrics.names(run_id) if n.startswith(CURVE_PREFIXES)]
    latest = [
        e
        for kind in LIVE_FRAME_KINDS
        if (e := services.store.snapshots.latest(run_id, kind)) is not None
    ]
    return LiveSnapshot(
        run=run_out(record, services),
        series=series_out(services, run_id, curve_names, max_points),
        markers=services.store.events.list(run_id, kinds=MARKER_KINDS),
        latest=latest,
    )


def dataset_points(services: Services, run_id: str, config: SessionConfig) -> DatasetPoints | None:
    """A run's training and validation points, re-drawn from its seed; None for image sets
    and tables of more than two features (they have no plane to draw on)."""
    if dataset_info(config.data).kind in ("image", "table"):
        return None
    data = make_dataset(
        config.data,
        config.seed,
        home=services.settings.datasets_dir,
        tables=services.runs.table_bytes,
    )

    def points(x: torch.Tensor) -> list[tuple[float, float]]:
        if x.shape[1] == 1:
            return [(round(a, 4), 0.0) for (a,) in x.tolist()]
        return [(round(a, 4), round(b, 4)) for a, b in x.tolist()]

    def labels(y: torch.Tensor) -> list[float]:
        return [round(float(v), 6) for v in y.flatten().tolist()]

    return DatasetPoints(
        run_id=run_id,
        dataset=config.data.dataset,
        task=data.task,
        bounds=data.bounds,
        train_x=points(data.x_train),
        train_y=labels(data.y_train),
        val_x=points(data.x_val),
        val_y=labels(data.y_val),
        dims=1 if data.x_train.shape[1] == 1 else 2,
        n_shown=len(data.x_train) + len(data.x_val),
        n_total=len(data.x_train) + len(data.x_val),
    )
