"""``POST /api/datasets/csv``: store a user's CSV as a trainable dataset (issue #3).

All or nothing: the whole file is parsed and checked by the pure parser
(:func:`neuralscope.data.parse_csv`) before anything is written, so a malformed upload is
refused with 422 naming its row and column and leaves no trace. A good one is stored once,
content addressed (:func:`neuralscope.data.encode_table` is deterministic), and its
:class:`~neuralscope.data.TableRef` goes into a run's ``DataConfig``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from neuralscope.data import CsvError, CsvOptions, encode_table, parse_csv, table_ref
from neuralscope.server.deps import ServicesDep
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas import ErrorResponse
from neuralscope.server.schemas_playground import CsvUploadOut

TABLE_MEDIA_TYPE = "application/vnd.neuralscope.table"
router = APIRouter(prefix="/api/datasets", tags=["meta"])


@router.post(
    "/csv",
    status_code=201,
    response_model=CsvUploadOut,
    operation_id="upload_csv_dataset",
    responses={422: {"model": ErrorResponse, "description": "Malformed, with row and column"}},
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    },
)
async def upload_csv_dataset(
    request: Request,
    services: ServicesDep,
    label_column: Annotated[str | None, Query(description="Default: the last column")] = None,
    task: Annotated[Literal["auto", "classification", "regression"], Query()] = "auto",
) -> CsvUploadOut:
    """Parse a CSV upload (the raw bytes as the body) and store it as a dataset; train on it
    with ``data: {"dataset": "csv", "table": <table>}``. Errors name the row (1-based,
    header = 1) and the column, and nothing is stored."""
    raw = await request.body()
    try:
        table = parse_csv(raw, CsvOptions(label_column=label_column, task=task))
    except CsvError as exc:
        raise ApiError(422, "invalid_csv", str(exc)) from exc
    record = await run_in_threadpool(
        services.store.artifacts.put_bytes, encode_table(table), TABLE_MEDIA_TYPE
    )
    return CsvUploadOut(
        id=record.sha256,
        feature_names=list(table.feature_names),
        label_name=table.label_name,
        task=table.task,
        n_rows=int(table.x.shape[0]),
        class_names=list(table.class_names),
        table=table_ref(record.sha256, table),
    )
