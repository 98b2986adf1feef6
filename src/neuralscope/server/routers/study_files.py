"""Downloads of a trial's files and its 3-D layout (issue #6).

A trial's files (``ARTIFACT_FILES``) live where its worker ran (``ATTR_ARTIFACTS``). This server
offers them when that directory is on its machine (local workers, or a shared filesystem) and
says so plainly otherwise. Download names carry the study, trial, metric and completion time, e.g.
``digits-health-trial12-acc0.973-20261122T0930.onnx``, so files from several trials never clash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse

from neuralscope.search.catalog import TrialDetail
from neuralscope.search.contract import ARTIFACT_FILES
from neuralscope.search.layout import ColorBy, ModelLayout, model_layout
from neuralscope.server.deps import TrialNumber
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse
from neuralscope.server.schemas_search import DownloadOut, DownloadsOut
from neuralscope.server.search_service import NO_STUDY, SearchDep, SearchService, call

router = APIRouter(tags=["search"])
# What a download is called after the trial part: model.onnx -> .onnx, spec.json -> -spec.json.
SUFFIXES = {
    "safetensors": ".safetensors",
    "spec": "-spec.json",
    "onnx": ".onnx",
    "torchscript": ".torchscript.pt",
    "config": "-config.json",
}


def download_name(trial: TrialDetail, study: str, kind: str) -> str:
    """``<study>-trial<N>-acc<val accuracy>-<completed, UTC, YYYYMMDDTHHMM><suffix>``."""
    parts = [study, f"trial{trial.number}"]
    if trial.metrics is not None:
        parts.append(f"acc{trial.metrics.val_accuracy:.3f}")
    elif trial.values:
        parts.append(f"value{trial.values[0]:.4g}")
    when = trial.completed_at or trial.started_at
    if when is not None:
        parts.append(when.strftime("%Y%m%dT%H%M"))
    return "-".join(parts) + SUFFIXES[kind]


def _where(search: SearchService, name: str, number: int) -> tuple[TrialDetail, Path | None, str]:
    """The trial, its directory if it is on this machine, and why not otherwise."""
    trial: TrialDetail = call(search.catalog.trial, name, number)
    if trial.state != "complete":
        return trial, None, f"trial {number} is {trial.state}: only completed trials have files"
    if trial.artifacts is None:
        return trial, None, f"trial {number} recorded no files"
    folder = Path(trial.artifacts)
    if not folder.is_dir():
        return (
            trial,
            None,
            f"the files of trial {number} are on another machine (worker {trial.worker}, "
            f"directory {folder}): download them there, or share that directory with this server",
        )
    return trial, folder, ""


def _downloads(search: SearchService, name: str, number: int) -> DownloadsOut:
    trial, folder, reason = _where(search, name, number)
    items = []
    for kind, filename in ARTIFACT_FILES.items():
        path = folder / filename if folder else None
        ok = path is not None and path.is_file()
        items.append(
            DownloadOut(
                kind=kind,
                filename=download_name(trial, name, kind),
                url=f"/api/studies/{name}/trials/{number}/files/{kind}",
                available=ok,
                size=path.stat().st_size if path is not None and ok else None,
            )
        )
    return DownloadsOut(number=number, items=items, reason=reason or None)


@router.get(
    "/api/studies/{name}/trials/{number}/files",
    response_model=DownloadsOut,
    operation_id="list_trial_files",
    responses=NO_STUDY,
)
async def list_trial_files(name: str, number: TrialNumber, search: SearchDep) -> DownloadsOut:
    """The trial's downloadable files: model (safetensors, ONNX, TorchScript), spec, config."""
    return await run_in_threadpool(_downloads, search, name, number)


@router.get(
    "/api/studies/{name}/trials/{number}/files/{kind}",
    operation_id="download_trial_file",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The file"},
        404: {"model": ErrorResponse, "description": "No such trial, or its file is elsewhere"},
    },
)
async def download_trial_file(
    name: str, number: TrialNumber, kind: str, search: SearchDep
) -> FileResponse:
    if kind not in ARTIFACT_FILES:
        raise ApiError(
            404, "not_found", f"no file kind {kind!r}; one of {', '.join(ARTIFACT_FILES)}"
        )
    trial, folder, reason = await run_in_threadpool(_where, search, name, number)
    if folder is None:
        raise ApiError(404, "not_found", reason)
    path = folder / ARTIFACT_FILES[kind]
    if not path.is_file():
        raise ApiError(404, "not_found", f"trial {number} has no {kind} file ({path} is missing)")
    return FileResponse(path, filename=download_name(trial, name, kind))


@router.get(
    "/api/studies/{name}/trials/{number}/layout",
    response_model=ModelLayout,
    operation_id="get_trial_layout",
    responses=NO_STUDY,
)
async def get_trial_layout(
    name: str,
    number: TrialNumber,
    search: SearchDep,
    color_by: ColorBy = "health",
    download: Annotated[bool, Query(description="as an attachment (a .json file)")] = False,
) -> ModelLayout | JSONResponse:
    """The trial's network as 3-D blocks (formulas: ``neuralscope.search.layout``)."""
    trial: TrialDetail = await run_in_threadpool(call, search.catalog.trial, name, number)
    if not trial.architecture:
        raise ApiError(404, "not_found", f"trial {number} recorded no architecture yet")
    accuracy = trial.metrics.val_accuracy if trial.metrics else None
    layout = model_layout(trial.architecture, color_by, accuracy)
    if not download:
        return layout
    filename = f"{name}-trial{number}-layout.json"
    return JSONResponse(
        layout.model_dump(mode="json"),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
