"""API fuzzing (issue #8): schemathesis over the complete OpenAPI schema of a real app.

Every operation gets generated requests (valid and invalid); every response must be a
non-5xx, with a documented status code, a documented content type, a body matching its
documented schema and headers as documented; unsupported methods must get a 405 with an
``Allow`` header that lists exactly the resource's methods. A stateful test then chains
operations along the schema's OpenAPI links (create a run, read and share it; open, fork and
revoke the link; ...) under the same checks plus use-after-free and resource availability.
One app serves the whole module.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.checks import CheckFunction
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from neuralscope.config import Settings
from neuralscope.server import create_app

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.unsupported_method,
]


# Loaded at collection (schemathesis' lazy fixture loader does not work with this pytest);
# the home directory is removed when the interpreter exits.
_HOME = tempfile.TemporaryDirectory(prefix="neuralscope-fuzz-")
_APP = create_app(Settings(home=Path(_HOME.name)))
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Case) -> None:
    case.call_and_validate(checks=CHECKS)


# Stateful: schemathesis chains operations along the schema's OpenAPI links (see
# ``neuralscope.server.openapi_links``): create a run, then read, control and share it; share,
# then open, fork, list and revoke the link; upload a model, then read its report; create a
# study, then read and cancel it. Same app as above; bounded to stay well under a minute.
# Only the declared links: schemathesis' own link inference adds dozens of guesses (every
# operation with a ``run_id``), and within the time budget the declared flows were then rarely
# reached. (Inference found one real bug, pinned below by a plain test.)
STATEFUL_CHECKS = [*CHECKS, checks.use_after_free, checks.ensure_resource_availability]
stateful_schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)
stateful_schema.config.phases.stateful.inference.algorithms = []
_seen: set[tuple[str, int]] = set()


class _Workflow(stateful_schema.as_state_machine()):  # type: ignore[misc]
    def teardown(self) -> None:
        # Every example starts with no live run. Runs left training by earlier examples would
        # reach the live-run limit (429), so the same steps would get other answers, which
        # hypothesis reports as a flaky strategy (and they would all train at once).
        services = getattr(_APP.state, "services", None)
        if services is not None:
            services.runs.shutdown()
        super().teardown()

    def after_call(self, response: Response, case: Case) -> None:
        super().after_call(response, case)
        _seen.add((case.operation.label, response.status_code))

    def validate_response(
        self,
        response: Response,
        case: Case,
        additional_checks: list[CheckFunction] | None = None,
        **kwargs: Any,
    ) -> None:
        case.validate_response(
            response,
            checks=STATEFUL_CHECKS,
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


@pytest.mark.slow
def test_create_then_read_flows_follow_their_links() -> None:
    _seen.clear()
    _Workflow.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
    )
    followed = {label for label, status in _seen if 200 <= status < 300}
    # Links were followed with values from real responses (a made-up id or token is a 404):
    # run id → reads and share, share token → the shared replay or its fork.
    assert {"POST /api/runs", "GET /api/runs/{run_id}", "POST /api/runs/{run_id}/share"} <= followed
    assert {"GET /api/shared/{token}", "POST /api/shared/{token}/fork"} & followed, sorted(_seen)
    assert all(status < 500 for _, status in _seen)


def test_a_watched_runs_data_is_a_conflict_not_a_crash(tmp_path: Path) -> None:
    """Found by link inference: /data and /samples of a watched run were 500 (its config is
    not a Playground config)."""
    with TestClient(create_app(Settings(home=tmp_path))) as client:
        body = {"name": "watched", "config": {"model": "Net", "parameters": 10, "layers": []}}
        run = client.post("/api/watch/runs", json=body)
        assert run.status_code == 201, run.text
        for resource in ("data", "samples"):
            response = client.get(f"/api/runs/{run.json()['id']}/{resource}")
            assert response.status_code == 409, response.text
            assert "watched run" in response.json()["error"]["message"]
