"""A Playground run's model over REST: ``/api/runs/{id}/evaluation`` and ``/export/{fmt}``.

The model is read from the run's live session while a training thread holds the run, and
from the final model stored when it ended (:mod:`neuralscope.final_model`) after that, also
after a restart: both answer the same (weights and spec as the run left them; the PyTorch
snippet and ONNX from the model rebuilt from them). Included by :mod:`.runs`.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from torch import nn

from neuralscope.data import DatasetFileError, DatasetNotAvailable, TableError
from neuralscope.events import Event, RunStatus
from neuralscope.final_model import NoFinalModel, final_model, spec_json
from neuralscope.server.deps import Services, ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse, EvaluationOut
from neuralscope.store import RunRecord
from neuralscope.training import IllegalTransition, Session, SessionConfig, SessionProbes
from neuralscope.training.export import export_spec, pytorch_snippet, to_onnx, to_safetensors

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No run with this id"}
}
NO_MODEL = (
    "No model: a watched run, a run whose model was not stored when it ended (its process "
    "was killed), or a run whose data cannot be made again on this server (the message says "
    "which)"
)
router = APIRouter()


@router.get(
    "/{run_id}/evaluation",
    response_model=EvaluationOut,
    operation_id="get_run_evaluation",
    responses={**NOT_FOUND, 409: {"model": ErrorResponse, "description": NO_MODEL}},
)
async def get_run_evaluation(run_id: str, services: ServicesDep) -> EvaluationOut:
    """Accuracy, precision/recall/F1 (macro and per class), confusion matrix, or MSE/MAE/R²,
    for the training and the validation split, of a live run's current model or an ended
    run's stored final model (on its data made again from its config and seed)."""
    results: list[EvaluationOut] = []

    def task(session: Session, probes: SessionProbes) -> list[Event]:
        results.append(
            EvaluationOut(
                run_id=run_id,
                step=session.global_step,
                task=session.dataset.task,
                class_names=list(session.dataset.class_names),
                splits=session.report(),
            )
        )
        return []

    try:
        await run_in_threadpool(services.runs.call, run_id, task)
    except IllegalTransition:  # no longer live: the model stored when it ended
        return await run_in_threadpool(_ended_evaluation, services, run_id)
    return results[0]


def _ended_evaluation(services: Services, run_id: str) -> EvaluationOut:
    record = services.store.runs.get(run_id)
    try:
        session = services.runs.ended_session(record)
    except NoFinalModel as exc:
        raise ApiError(409, "no_model", str(exc)) from None
    except (TableError, DatasetNotAvailable, DatasetFileError) as exc:
        raise ApiError(
            409,
            "data_unavailable",
            f"run {run_id}'s model is stored, but its data cannot be made again on this "
            f"server, so it cannot be evaluated: {exc}",
        ) from None
    return EvaluationOut(
        run_id=run_id,
        step=record.last_step,
        task=session.dataset.task,
        class_names=list(session.dataset.class_names),
        splits=session.report(),
    )


ExportFormat = Literal["safetensors", "spec", "pytorch", "onnx"]
_MEDIA = {
    "safetensors": ("application/octet-stream", "model.safetensors"),
    "spec": ("application/json", "spec.json"),
    "pytorch": ("text/x-python", "model.py"),
    "onnx": ("application/octet-stream", "model.onnx"),
}


@router.get(
    "/{run_id}/export/{fmt}",
    operation_id="export_run_model",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {"content": {m: {} for m, _ in _MEDIA.values()}, "description": "The file"},
        409: {"model": ErrorResponse, "description": NO_MODEL},
    },
)
async def export_run_model(run_id: str, fmt: ExportFormat, services: ServicesDep) -> Response:
    """The run's model as safetensors, its spec JSON, a PyTorch snippet or ONNX: the current
    model of a live run, the final model stored when it ended otherwise."""
    copies: list[nn.Sequential] = []

    def task(session: Session, probes: SessionProbes) -> list[Event]:
        copies.append(copy.deepcopy(session.model).cpu())
        return []

    try:
        record = await run_in_threadpool(services.runs.call, run_id, task)
    except IllegalTransition:  # no longer live: the model stored when it ended
        return _media(fmt, await run_in_threadpool(_ended_export, services, run_id, fmt))
    config = SessionConfig.model_validate(record.config)
    model = copies[0]
    if fmt == "onnx":
        return _media(fmt, await _export_onnx(record, services, model))
    if fmt == "safetensors":
        body = to_safetensors(model)
    elif fmt == "spec":
        body = spec_json(config)
    else:
        body = pytorch_snippet(model).encode()
    return _media(fmt, body)


def _ended_export(services: Services, run_id: str, fmt: ExportFormat) -> bytes:
    """An ended run's export from its stored final model: weights and spec as stored (the
    bytes the live export gave at its end), snippet and ONNX from the model rebuilt."""
    record = services.store.runs.get(run_id)
    try:
        stored = final_model(services.store, record)
    except NoFinalModel as exc:
        raise ApiError(409, "no_model", str(exc)) from None
    if fmt == "safetensors":
        return stored.weights_bytes()
    if fmt == "spec":
        return stored.spec_json
    try:
        model = stored.model()
    except NoFinalModel as exc:
        raise ApiError(409, "no_model", str(exc)) from None
    if fmt == "pytorch":
        return pytorch_snippet(model).encode()
    return to_onnx(model, stored.spec.input_shape)


async def _export_onnx(record: RunRecord, services: Services, model: nn.Sequential) -> bytes:
    """ONNX of a live run's model. torch's dynamo exporter (the fallback of
    :func:`~neuralscope.training.export.onnx_bytes`) changes process-wide fx state that a
    concurrent optimizer step trips over (KeyError 'custom' in fx_traceback.annotate), so a
    running run is paused around the export and resumed after."""
    config = SessionConfig.model_validate(record.config)
    spec = export_spec(config.spec, config.data)
    paused = record.status is RunStatus.RUNNING
    if paused:
        await run_in_threadpool(services.runs.control, record.id, "pause", None)
    try:
        return await run_in_threadpool(to_onnx, model, spec.input_shape)
    finally:
        if paused:
            await run_in_threadpool(services.runs.control, record.id, "resume", None)


def _media(fmt: ExportFormat, body: bytes) -> Response:
    media, filename = _MEDIA[fmt]
    disposition = f'attachment; filename="{filename}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
