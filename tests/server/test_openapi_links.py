"""OpenAPI links: every declared link names real operations, real parameters and real fields."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from neuralscope.server import create_app
from neuralscope.server.openapi_links import LINKS, LinkGroup, add_links


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return create_app().openapi()


def _operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        op["operationId"]: op
        for item in schema["paths"].values()
        for op in item.values()
        if "operationId" in op
    }


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_each_link_fills_every_path_parameter_from_a_real_field(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    count = 0
    for op in operations.values():
        for code, response in op["responses"].items():
            for link in response.get("links", {}).values():
                count += 1
                target = operations[link["operationId"]]
                path_params = {p["name"] for p in target["parameters"] if p["in"] == "path"}
                assert {k.removeprefix("path.") for k in link["parameters"]} == path_params
                for expression in link["parameters"].values():
                    if expression.startswith("$request.path."):
                        names = {p["name"] for p in op["parameters"] if p["in"] == "path"}
                        assert expression.removeprefix("$request.path.") in names
                        continue
                    assert expression.startswith("$response.body#/")
                    node = _resolve(schema, response["content"]["application/json"]["schema"])
                    for key in expression.removeprefix("$response.body#/").split("/"):
                        assert key in node.get("required", []), (op["operationId"], key)
                        node = _resolve(schema, node["properties"][key])
                    assert node["type"] == "string"
                assert code.startswith("2")
    assert count == sum(len(group.targets) for group in LINKS)


def test_a_link_to_an_unknown_operation_or_status_is_an_error(schema: dict[str, Any]) -> None:
    with pytest.raises(KeyError, match="unknown operation 'get_nothing'"):
        add_links(copy.deepcopy(schema), (LinkGroup("create_run", "201", ("get_nothing",)),))
    with pytest.raises(KeyError, match="no 200 response"):
        add_links(copy.deepcopy(schema), (LinkGroup("create_run", "200", ("get_run",)),))
