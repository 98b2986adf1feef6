"""Search studies over REST (issue #6): create, list, get and cancel studies; paged trials, best
trial, importance, Pareto front and the accuracy-vs-health comparison.

Studies are Optuna studies on the project's database (``Settings.db_url``). Creating one through
the API starts local worker subprocesses (``neuralscope worker``); workers on other machines join
the same study with the same command. Downloads and the 3-D layout are in
:mod:`.study_files`, the live stream in :mod:`.study_stream`; both are included here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from fastapi.concurrency import run_in_threadpool

from neuralscope.data.catalog import CATALOG, fetch_hint, is_cached
from neuralscope.search.catalog import (
    Importance,
    ParetoFront,
    StudySummary,
    TrialDetail,
    TrialOrder,
    TrialPage,
    TrialState,
)
from neuralscope.search.contract import StudyConfig
from neuralscope.search.hyperparams import family_for_kind
from neuralscope.search.spaces import default_space
from neuralscope.search.study import StudyExists, create_study, request_cancel
from neuralscope.server.deps import MAX_INDEX, ServicesDep, TrialNumber
from neuralscope.server.errors import ApiError
from neuralscope.server.routers import study_files, study_stream
from neuralscope.server.schemas import ErrorResponse
from neuralscope.server.schemas_search import (
    BestComparison,
    DatasetChoice,
    SearchDefaults,
    StudyCreate,
    StudyList,
    StudyOut,
)
from neuralscope.server.search_service import NO_STUDY, SearchDep, SearchService, call


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    service: SearchService | None = getattr(app.state, "search", None)
    if service is not None:
        await run_in_threadpool(service.close)
        app.state.search = None


router = APIRouter(tags=["search"], lifespan=_lifespan, responses={422: {"model": ErrorResponse}})


def _out(search: SearchService, summary: StudySummary) -> StudyOut:
    return StudyOut(study=summary, local_workers=search.workers.running(summary.name))


def _study_out(search: SearchService, name: str) -> StudyOut:
    return _out(search, call(search.catalog.summary, name))


def _create(search: SearchService, body: StudyCreate) -> StudyOut:
    try:
        create_study(body.config, search.storage_url)
    except StudyExists as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    except ValueError as exc:
        raise ApiError(422, "invalid", str(exc)) from exc
    search.workers.start(body.config.name, body.workers, body.sampler_seed)
    return _study_out(search, body.config.name)


@router.post(
    "/api/studies",
    status_code=201,
    response_model=StudyOut,
    operation_id="create_study",
    responses={409: {"model": ErrorResponse, "description": "A study with this name exists"}},
)
async def create(body: StudyCreate, search: SearchDep) -> StudyOut:
    """Create a study and start ``workers`` worker processes on this machine."""
    return await run_in_threadpool(_create, search, body)


@router.get("/api/studies", response_model=StudyList, operation_id="list_studies")
async def list_studies(search: SearchDep) -> StudyList:
    """Every study, newest first, with its best value and trial counts."""

    def run() -> StudyList:
        return StudyList(items=[_out(search, s) for s in search.catalog.list_studies()])

    return await run_in_threadpool(run)


@router.get("/api/search/defaults", response_model=SearchDefaults, operation_id="search_defaults")
async def search_defaults(services: ServicesDep) -> SearchDefaults:
    """The datasets a study can search and each model family's default space (for the form)."""

    def run() -> SearchDefaults:
        data_dir = services.settings.datasets_dir
        datasets = []
        for entry in CATALOG.values():
            ok = is_cached(entry.name, data_dir)
            datasets.append(
                DatasetChoice(
                    name=entry.name,
                    title=entry.title,
                    kind=entry.kind,
                    family=family_for_kind(entry.kind),
                    available=ok,
                    hint=None if ok else fetch_hint(entry.name, data_dir),
                )
            )
        spaces = {f: default_space(f) for f in ("mlp", "cnn", "lstm")}
        config = StudyConfig(name="my-study", dataset="digits")
        return SearchDefaults(datasets=datasets, spaces=spaces, config=config)

    return await run_in_threadpool(run)


@router.get(
    "/api/studies/{name}", response_model=StudyOut, operation_id="get_study", responses=NO_STUDY
)
async def get_study(name: str, search: SearchDep) -> StudyOut:
    return await run_in_threadpool(_study_out, search, name)


@router.post(
    "/api/studies/{name}/cancel",
    response_model=StudyOut,
    operation_id="cancel_study",
    responses=NO_STUDY,
)
async def cancel_study(name: str, search: SearchDep) -> StudyOut:
    """Stop the study: workers finish (or stop) their current trial and start no other."""

    def run() -> StudyOut:
        _study_out(search, name)  # 404 first
        request_cancel(search.storage_url, name)
        return _study_out(search, name)

    return await run_in_threadpool(run)


@router.get(
    "/api/studies/{name}/trials",
    response_model=TrialPage,
    operation_id="list_trials",
    responses=NO_STUDY,
)
async def list_trials(
    name: str,
    search: SearchDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
    state: Annotated[list[TrialState] | None, Query()] = None,
    order: TrialOrder = "number",
) -> TrialPage:
    """A page of trials (``order=best``: by the first objective, unfinished last)."""
    return await run_in_threadpool(
        call, search.catalog.trials, name, limit=limit, offset=offset, states=state, order=order
    )


@router.get(
    "/api/studies/{name}/trials/{number}",
    response_model=TrialDetail,
    operation_id="get_trial",
    responses=NO_STUDY,
)
async def get_trial(name: str, number: TrialNumber, search: SearchDep) -> TrialDetail:
    return await run_in_threadpool(call, search.catalog.trial, name, number)


@router.get(
    "/api/studies/{name}/best",
    response_model=TrialDetail,
    operation_id="get_best_trial",
    responses={404: {"model": ErrorResponse, "description": "No study, or no completed trial"}},
)
async def get_best_trial(name: str, search: SearchDep) -> TrialDetail:
    """The best completed trial (pareto studies: the most accurate one)."""
    best = await run_in_threadpool(call, search.catalog.best_trial, name)
    if best is None:
        raise ApiError(404, "not_found", f"study {name!r} has no completed trial yet")
    return best


@router.get(
    "/api/studies/{name}/importance",
    response_model=Importance,
    operation_id="get_importance",
    responses=NO_STUDY,
)
async def get_importance(
    name: str, search: SearchDep, objective: Annotated[int, Query(ge=0, le=2)] = 0
) -> Importance:
    """How much each hyperparameter explains one objective (PED-ANOVA over completed trials)."""

    def run() -> Importance:
        summary = call(search.catalog.summary, name)
        if objective >= len(summary.directions):
            raise ApiError(422, "invalid", f"objective: the study has {len(summary.directions)}")
        return search.catalog.importance(name, objective)

    return await run_in_threadpool(run)


@router.get(
    "/api/studies/{name}/pareto",
    response_model=ParetoFront,
    operation_id="get_pareto_front",
    responses=NO_STUDY,
)
async def get_pareto_front(name: str, search: SearchDep) -> ParetoFront:
    """The non-dominated completed trials and every completed trial's values."""
    return await run_in_threadpool(call, search.catalog.pareto_front, name)


@router.get(
    "/api/studies/{name}/compare",
    response_model=BestComparison,
    operation_id="compare_best_trials",
    responses=NO_STUDY,
)
async def compare_best_trials(name: str, search: SearchDep) -> BestComparison:
    """The most accurate and the healthiest completed trial, side by side."""
    acc, health = await run_in_threadpool(call, search.catalog.best_by_metric, name)
    same = acc is not None and health is not None and acc.number == health.number
    return BestComparison(accuracy_best=acc, health_best=health, same=same)


router.include_router(study_files.router)
router.include_router(study_stream.router)
