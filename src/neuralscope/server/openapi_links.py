"""OpenAPI ``links`` from each create operation to the operations that use what it made.

FastAPI emits no links, so stateful API testing (schemathesis' state machine, issue #8) cannot
chain ``POST /api/runs`` into ``GET /api/runs/{run_id}``. One declarative table here says which
response value fills which parameter of which operation, as OpenAPI 3.1 runtime expressions
(https://spec.openapis.org/oas/v3.1.0#link-object and #runtime-expressions), and
:func:`add_links` writes it into the generated schema. An entry naming an operation the schema
does not have is an error, so a renamed route cannot silently drop its links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RUN_ID = {"path.run_id": "$response.body#/id"}
MODEL_ID = {"path.model_id": "$response.body#/id"}
STUDY_NAME = {"path.name": "$response.body#/study/name"}
SHARE_TOKEN = {"path.token": "$response.body#/token"}
SHARE_OF_RUN = {"path.run_id": "$request.path.run_id", "path.share_id": "$response.body#/id"}
SAME_RUN = {"path.run_id": "$request.path.run_id"}


@dataclass(frozen=True)
class LinkGroup:
    """Links from one response (``source`` answering ``status``) to ``targets``, each filled
    with ``parameters`` (parameter → runtime expression)."""

    source: str
    status: str
    targets: tuple[str, ...]
    parameters: dict[str, str] = field(default_factory=dict)


RUN_READS = (
    "get_run",
    "list_run_events",
    "get_run_metrics",
    "get_run_snapshot",
    "control_run",
    "share_run",
    "list_run_shares",
)
MODEL_READS = (
    "get_model",
    "get_model_report",
    "get_model_summary",
    "get_model_health",
    "get_model_layers",
    "get_model_architecture",
)
STUDY_READS = ("get_study", "list_trials", "get_best_trial", "get_study_live", "cancel_study")

LINKS: tuple[LinkGroup, ...] = (
    LinkGroup("create_run", "201", RUN_READS, RUN_ID),
    LinkGroup("fork_shared_run", "201", RUN_READS, RUN_ID),
    LinkGroup("create_watch_run", "201", ("get_run", "list_watch_histograms"), RUN_ID),
    LinkGroup("upload_model", "201", MODEL_READS, MODEL_ID),
    LinkGroup("create_study", "201", STUDY_READS, STUDY_NAME),
    LinkGroup("share_run", "201", ("get_shared_run", "fork_shared_run"), SHARE_TOKEN),
    LinkGroup("share_run", "201", ("revoke_run_share",), SHARE_OF_RUN),
    LinkGroup("share_run", "201", ("list_run_shares",), SAME_RUN),
)


def _link_name(operation_id: str) -> str:
    return "".join(part.capitalize() for part in operation_id.split("_"))


def add_links(schema: dict[str, Any], links: tuple[LinkGroup, ...] = LINKS) -> None:
    """Write ``links`` into the responses of ``schema`` (in place).

    Raises:
        KeyError: a link names an operation, or a response status, the schema does not have.
    """
    operations: dict[str, dict[str, Any]] = {
        op["operationId"]: op
        for item in schema.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for group in links:
        for name in (group.source, *group.targets):
            if name not in operations:
                raise KeyError(f"OpenAPI link names an unknown operation {name!r}")
        responses = operations[group.source]["responses"]
        if group.status not in responses:
            raise KeyError(f"{group.source} has no {group.status} response to link from")
        out = responses[group.status].setdefault("links", {})
        for target in group.targets:
            out[_link_name(target)] = {
                "operationId": target,
                "parameters": dict(group.parameters),
            }
