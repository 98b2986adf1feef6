"""``/ws/studies/{name}``: trial starts, curve points, completions and new bests, live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from optuna.trial import TrialState
from pydantic import SecretStr
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect
from tests.search.catalog_helpers import curve, seeded_study, write_trial

from neuralscope.config import Settings
from neuralscope.search.contract import ATTR_CURVE
from neuralscope.server import create_app


def _until(ws: WebSocketTestSession, wanted: str) -> list[dict[str, Any]]:
    """Every event received up to and including the first of type ``wanted``."""
    seen: list[dict[str, Any]] = []
    for _ in range(40):
        for event in ws.receive_json()["events"]:
            seen.append(event)
            if event["type"] == wanted:
                return seen
    raise AssertionError(f"no {wanted} event in {seen}")


def test_stream_pushes_starts_curves_completions_and_new_bests(
    client: TestClient, settings: Settings
) -> None:
    seed = seeded_study(settings.db_url, "s")  # best: trial 0, health 88
    with client.websocket_connect("/ws/studies/s") as ws:
        first = ws.receive_json()["events"]
        assert first[0]["type"] == "snapshot"
        assert first[0]["study"]["best_trial"] == 0
        assert [(e["type"], e["trial"]["number"]) for e in first[1:]] == [("trial_started", 8)]
        assert first == client.get("/api/studies/s/live").json()["events"]

        number = write_trial(seed, units=4, lr=0.01, state=TrialState.RUNNING)
        started = _until(ws, "trial_started")
        assert started[-1]["trial"]["number"] == number == 9
        assert started[0]["type"] == "snapshot"
        assert started[0]["study"]["counts"]["running"] == 2

        trial_id = seed.storage.get_trial_id_from_study_id_trial_number(seed.study_id, number)
        points = [p.model_dump(mode="json") for p in curve(0.6, 5)]
        seed.storage.set_trial_user_attr(trial_id, ATTR_CURVE, points)
        grown = _until(ws, "curve")[-1]
        assert grown["number"] == 9
        assert [p["epoch"] for p in grown["points"]] == [4, 5]  # only the new points

        seed.storage.set_trial_state_values(trial_id, TrialState.COMPLETE, [95.0])
        events = _until(ws, "new_best")
        kinds = [e["type"] for e in events]
        assert kinds.index("trial_finished") < kinds.index("new_best")
        assert events[-1]["trial"]["number"] == 9
        assert events[-1]["trial"]["values"] == [95.0]


def test_unknown_study_closes_the_socket(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as excinfo,
        client.websocket_connect("/ws/studies/nope") as ws,
    ):
        ws.receive_json()
    assert excinfo.value.code == 4404


def test_stream_needs_the_token_when_one_is_set(tmp_path: Path) -> None:
    secured = Settings(home=tmp_path / "home", token=SecretStr("s3cret"))
    with TestClient(create_app(secured)) as client:
        seeded_study(secured.db_url, "s")
        with (
            pytest.raises(WebSocketDisconnect) as excinfo,
            client.websocket_connect("/ws/studies/s") as ws,
        ):
            ws.receive_json()
        assert excinfo.value.code == 1008
        with client.websocket_connect("/ws/studies/s?token=s3cret") as ws:
            assert ws.receive_json()["events"][0]["type"] == "snapshot"
        with client.websocket_connect("/ws/studies/s", subprotocols=["bearer.s3cret"]) as ws:
            assert ws.receive_json()["events"][0]["study"]["name"] == "s"
