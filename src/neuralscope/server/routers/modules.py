"""``/api/runs/{id}/modules``: a run's functional modules (issue #7).

``GET`` lists the recorded ``modules`` snapshots (Playground and watched runs), oldest first,
for the module map and its timeline. ``POST .../decompose`` re-runs the decomposition of a
Playground run's current model with another method, k or threshold (the map's controls) while
this server holds its session (live, or ended since the server started; a watched run's model
lives in the user's process); its module ids are matched to the run's, and the answer is not
recorded: the run's own timeline stays on its own method. ``POST .../{module_id}/what-if``
previews an intervention (prune, re-initialize) on any module of the run's latest snapshot:
applied to a copy of the run's current model, measured on the run's probe batch
(decomposition.whatif); the run, its model and its recorded events are left as they were.
"""

from __future__ import annotations

import copy
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from torch import nn

from neuralscope.decomposition import (
    Clusterer,
    CorrelationComponents,
    HierarchicalClusterer,
    KMeansClusterer,
    SpectralClustering,
)
from neuralscope.decomposition.results import Module
from neuralscope.decomposition.stream import ModuleStream
from neuralscope.decomposition.whatif import Intervention, Prune, Reinitialize, WhatIf, what_if
from neuralscope.events import Event, EventKind, ModulesEvent
from neuralscope.server.deps import MAX_INDEX, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse
from neuralscope.server.views import EventQuery, recorded_events
from neuralscope.training import Session, SessionProbes

router = APIRouter(prefix="/api/runs", tags=["modules"], responses={422: {"model": ErrorResponse}})
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No run with this id"}
}


class ModulesOut(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
    run_id: str
    snapshots: list[ModulesEvent] = Field(description="Recorded module snapshots, step order")


Method = Literal["components", "spectral", "kmeans", "hierarchical"]


class DecomposeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Method = "components"
    k: int | None = Field(
        None, ge=2, le=64, description="Modules per layer; required for kmeans/hierarchical"
    )
    threshold: float | None = Field(
        None, gt=0, lt=1, description="|corr| edge threshold of 'components' (default 4/sqrt n)"
    )
    evaluate: bool = Field(False, description="Also compute ablation metrics (slower)")

    def clusterer(self) -> Clusterer:
        if self.method == "components":
            if self.k is not None:
                raise ApiError(422, "invalid", "k: 'components' chooses k itself; use spectral")
            return CorrelationComponents(threshold=self.threshold)
        if self.threshold is not None:
            raise ApiError(422, "invalid", "threshold: only 'components' has a threshold")
        if self.method == "spectral":
            return SpectralClustering(self.k)
        if self.k is None:
            raise ApiError(422, "invalid", f"k: required for {self.method}")
        return KMeansClusterer(self.k) if self.method == "kmeans" else HierarchicalClusterer(self.k)


@router.get(
    "/{run_id}/modules",
    response_model=ModulesOut,
    operation_id="list_run_modules",
    responses=NOT_FOUND,
)
async def list_run_modules(
    run_id: str,
    services: ServicesDep,
    after_step: Annotated[int | None, Query(ge=0, le=MAX_INDEX)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> ModulesOut:
    """The run's module snapshots in step order (its module map and timeline)."""
    query = EventQuery(snapshot=EventKind.MODULES, after_step=after_step, limit=limit)
    events = await run_in_threadpool(recorded_events, services, run_id, query)
    return ModulesOut(run_id=run_id, snapshots=[e for e in events if isinstance(e, ModulesEvent)])


@router.post(
    "/{run_id}/modules/decompose",
    response_model=ModulesEvent,
    operation_id="decompose_run_modules",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorResponse, "description": "Not a live run with hidden layers"},
    },
)
async def decompose_run_modules(
    run_id: str, body: DecomposeRequest, services: ServicesDep
) -> ModulesEvent:
    """Decompose a live run's current model with the given method, k or threshold (not
    recorded); module ids are matched to the run's own snapshots."""
    method = body.clusterer()
    taken: list[tuple[int, nn.Module, ModuleStream]] = []

    def task(session: Session, probes: SessionProbes) -> list[Event]:
        if probes.modules is not None:  # copies: the run trains on while we decompose
            fork = probes.modules.fork(method, evaluate=body.evaluate)
            taken.append((session.global_step, copy.deepcopy(session.model), fork))
        return []

    if services.runs.live(run_id) is None:
        record = await run_in_threadpool(services.store.runs.get, run_id)  # 404 if none
        raise ApiError(
            409,
            "conflict",
            f"run {run_id} ({record.kind}, {record.status.value}) has no model in this server's "
            "memory, so only its recorded module snapshots can be shown (start a new run to "
            "explore other methods)",
        )
    await run_in_threadpool(services.runs.call, run_id, task)
    if not taken:
        raise ApiError(409, "conflict", "this run's net has no hidden layer to decompose")
    step, model, stream = taken[0]
    return await run_in_threadpool(stream.now, step, model, time.time())


class WhatIfRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intervention: Literal["prune", "reinitialize"] = Field(
        description="prune: zero the module's units at their source; reinitialize: redraw them"
    )

    def strategy(self) -> Intervention:
        return Prune() if self.intervention == "prune" else Reinitialize()


class WhatIfOut(WhatIf):
    """The intervention's effect on the probe batch (the run itself is not changed)."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)
    run_id: str
    step: int = Field(description="step of the snapshot the module comes from")
    layer: str
    units: list[int] = Field(description="the module's units in its layer")
    probe: str = Field(description="what the probe batch is")
    probe_samples: int


_WHAT_IF_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No run with this id, or no such module in it"},
    409: {
        "model": ErrorResponse,
        "description": "Not a live run, no decomposition with targets yet, or an empty module",
    },
}


@router.post(
    "/{run_id}/modules/{module_id:path}/what-if",  # tracked ids hold a "/" (act1/M1)
    response_model=WhatIfOut,
    operation_id="preview_module_what_if",
    responses=_WHAT_IF_ERRORS,
)
async def preview_module_what_if(
    run_id: str, module_id: str, body: WhatIfRequest, services: ServicesDep
) -> WhatIfOut:
    """Apply ``intervention`` to a copy of the live run's current model for the module
    ``module_id`` of its latest snapshot (any module, alerted or not) and return the loss,
    accuracy and per-class F1 on the probe batch before and after."""
    found: list[tuple[int, nn.Module, ModuleStream, list[Module]]] = []

    def task(session: Session, probes: SessionProbes) -> list[Event]:
        stream = probes.modules
        if stream is not None and stream.live.snapshots:  # copies: the run trains on
            last = stream.live.snapshots[-1]
            modules = last.decomposition.modules
            found.append((last.step, copy.deepcopy(session.model), stream, modules))
        return []

    if services.runs.live(run_id) is None:
        record = await run_in_threadpool(services.store.runs.get, run_id)  # 404 if none
        raise ApiError(
            409,
            "conflict",
            f"run {run_id} ({record.kind}, {record.status.value}) has no model in this server's "
            "memory, so what-if previews are not possible (start a new run)",
        )
    await run_in_threadpool(services.runs.call, run_id, task)
    if not found:
        raise ApiError(
            409,
            "conflict",
            "this run has no module snapshot yet (no hidden layer, or the first decomposition "
            "has not run): wait for the module map to show modules",
        )
    step, model, stream, modules = found[0]
    module = next((m for m in modules if m.id == module_id), None)
    if module is None:
        known = ", ".join(m.id for m in modules)
        raise ApiError(
            404, "not_found", f"no module {module_id!r} at step {step} of this run (has: {known})"
        )
    targets = stream.live.targets
    if targets is None:
        raise ApiError(409, "conflict", "this run's probe batch has no targets to score")
    if not module.units:
        raise ApiError(409, "conflict", f"module {module_id} has no units to intervene on")
    try:
        result = await run_in_threadpool(
            what_if, model, module, body.strategy(), stream.live.inputs, targets
        )
    except LookupError as exc:  # no Linear/Conv produces the layer
        raise ApiError(409, "conflict", str(exc)) from exc
    return WhatIfOut(
        **result.model_dump(),
        run_id=run_id,
        step=step,
        layer=module.layer,
        units=module.units,
        probe=stream.probe_label,
        probe_samples=int(stream.live.inputs.shape[0]),
    )
