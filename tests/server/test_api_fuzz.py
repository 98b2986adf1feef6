"""API fuzzing (issue #8): schemathesis over the complete OpenAPI schema of a real app.

Every operation gets generated requests (valid and invalid); every response must be a
non-5xx, with a documented status code, a documented content type, a body matching its
documented schema and headers as documented; unsupported methods must get a 405 with an
``Allow`` header that lists exactly the resource's methods. One app serves the whole
module.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
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
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(home=Path(_HOME.name)))
)


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
