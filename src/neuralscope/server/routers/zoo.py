"""``/api/zoo``: the Playground's pre-trained models: list them, fine-tune one as a new run,
or register one with Analytics (``/api/models``) to inspect it.

The zoo lives under the server's home (``<home>/zoo``, see :mod:`neuralscope.zoo`); a name
that is not a zoo entry is 404, an entry whose files are not there is 409 with the command
that installs them.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Annotated, Any

import torch
from fastapi import APIRouter, Body
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from neuralscope.data import Task
from neuralscope.server import model_uploads as up
from neuralscope.server.deps import Services, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse, RunOut
from neuralscope.server.schemas_models import ModelOut
from neuralscope.server.views import run_out
from neuralscope.training import Hyperparameters, HyperparameterUpdate, SessionConfig
from neuralscope.zoo import (
    TRAIN_COMMAND,
    ZOO,
    UnknownZooModel,
    ZooCard,
    ZooNotInstalled,
    installed,
    load_card,
    load_model,
    load_weights,
    zoo_dir,
)

router = APIRouter(prefix="/api/zoo", tags=["zoo"], responses={422: {"model": ErrorResponse}})
_ENTRY: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No zoo model with this name"},
    409: {
        "model": ErrorResponse,
        "description": f"The zoo is not installed: run `{TRAIN_COMMAND}`",
    },
}
ZooName = Annotated[str, PathParam(min_length=1, max_length=64)]


class ZooModelOut(BaseModel):
    """One installed zoo model: what it is, what it was trained on, how well it does."""

    name: str
    title: str
    description: str
    dataset: str
    task: Task
    input_shape: list[int]
    config: SessionConfig = Field(description="Net spec, data config, hyperparameters, seed")
    steps: int
    scale: float
    metrics: dict[str, float] = Field(description="Final validation metrics (val/...)")


class ZooList(BaseModel):
    items: list[ZooModelOut] = Field(description="Installed models, in zoo order")
    missing: list[str] = Field(description="Zoo entries that are not installed")
    command: str = Field(description="The command that installs (or re-trains) the zoo")


class ZooRunCreate(BaseModel):
    """Fine-tune a zoo model: its data and config, optionally other hyperparameters."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    name: str | None = Field(default=None, max_length=200)
    hyperparameters: HyperparameterUpdate | None = Field(
        default=None, description="Changes to the zoo model's hyperparameters"
    )
    max_steps: int | None = Field(default=None, ge=1, le=10_000_000)
    start: bool = Field(default=True, description="Start training immediately")


def _out(card: ZooCard) -> ZooModelOut:
    return ZooModelOut(
        name=card.name,
        title=card.title,
        description=card.description,
        dataset=card.config.data.dataset,
        task=card.export.task,
        input_shape=card.export.input_shape,
        config=card.config,
        steps=card.steps,
        scale=card.scale,
        metrics=card.metrics,
    )


def _card(services: Services, name: str) -> ZooCard:
    try:
        return load_card(zoo_dir(services.settings.home), name)
    except UnknownZooModel:
        raise ApiError(404, "not_found", f"no zoo model named {name!r}") from None
    except ZooNotInstalled as exc:
        raise ApiError(409, "zoo_not_installed", str(exc)) from None


@router.get("", response_model=ZooList, operation_id="list_zoo")
async def list_zoo(services: ServicesDep) -> ZooList:
    """The installed zoo models with their validation metrics and specs."""
    cards = await run_in_threadpool(installed, zoo_dir(services.settings.home))
    names = {c.name for c in cards}
    return ZooList(
        items=[_out(c) for c in cards],
        missing=[e.name for e in ZOO if e.name not in names],
        command=TRAIN_COMMAND,
    )


@router.post(
    "/{name}/runs",
    status_code=201,
    response_model=RunOut,
    operation_id="fine_tune_zoo_model",
    responses={**_ENTRY, 429: {"model": ErrorResponse, "description": "Too many live runs"}},
)
async def fine_tune(
    name: ZooName,
    services: ServicesDep,
    body: Annotated[ZooRunCreate | None, Body()] = None,
) -> RunOut:
    """Start a Playground run from the zoo model's trained weights, on the data it was
    trained on (its first metrics are the saved model's), optionally with other
    hyperparameters."""
    request = body or ZooRunCreate()
    card = _card(services, name)
    try:
        weights = await run_in_threadpool(load_weights, zoo_dir(services.settings.home), name)
    except ZooNotInstalled as exc:
        raise ApiError(409, "zoo_not_installed", str(exc)) from None
    hp = card.config.hyperparameters.model_dump()
    if request.hyperparameters is not None:
        hp |= request.hyperparameters.model_dump(exclude_none=True)
    config = card.config.model_copy(
        update={
            "hyperparameters": Hyperparameters.model_validate(hp),
            "max_steps": request.max_steps,
        }
    )
    record = await run_in_threadpool(
        lambda: services.runs.create(
            config,
            name=request.name or f"fine-tune: {card.title}",
            start=request.start,
            weights=weights,
        )
    )
    return await run_in_threadpool(run_out, record, services)  # reads artifact names


def _register(services: Services, name: str, card: ZooCard) -> ModelOut:
    """Export the rebuilt model with torch.export (so Analytics can run it: FLOPs, latency)
    and store it like an upload; the same model registered twice gets the same id."""
    model = load_model(zoo_dir(services.settings.home), name)
    shape = [1, *card.export.input_shape]
    buffer = io.BytesIO()
    # A zero example keeps the archive byte-identical between calls (content-addressed); the
    # batch axis stays dynamic, so Analytics can probe with more than one sample.
    example = torch.zeros([2, *card.export.input_shape])
    batch = torch.export.Dim("batch", min=1, max=1 << 20)
    program = torch.export.export(model, (example,), dynamic_shapes=({0: batch},))
    torch.export.save(program, buffer)
    with tempfile.TemporaryDirectory(prefix="neuralscope-zoo-") as tmp:
        temp = Path(tmp) / f"zoo-{name}.pt2"
        temp.write_bytes(buffer.getvalue())
        return up.validate_and_store(services.store, temp, temp.name, ",".join(map(str, shape)))


@router.post(
    "/{name}/analyze",
    status_code=201,
    response_model=ModelOut,
    operation_id="analyze_zoo_model",
    responses=_ENTRY,
)
async def analyze(name: ZooName, services: ServicesDep) -> ModelOut:
    """Register the zoo model with Analytics; open ``/api/models/{id}`` (the web's
    Analytics page) to inspect it."""
    card = _card(services, name)
    try:
        return await run_in_threadpool(_register, services, name, card)
    except ZooNotInstalled as exc:
        raise ApiError(409, "zoo_not_installed", str(exc)) from None
