"""WebSocket streaming: snapshot first, then live event batches."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.server.helpers import small_run, wait_for
from tests.training.test_probing import make_session, probes_for

from neuralscope.server.schemas import EventMessage
from neuralscope.server.ws import (
    MAX_MESSAGES_PER_S,
    MIN_MESSAGES_PER_S,
    RUN_MESSAGES_PER_S,
    _JsonCache,
    message_rate,
)
from neuralscope.training import ProbeConfig


def test_viewer_gets_snapshot_then_live_events(client: TestClient) -> None:
    run = client.post(
        "/api/runs",
        json=small_run(start=False, config={**small_run()["config"], "max_steps": 3000}),
    ).json()
    with client.websocket_connect(f"/ws/runs/{run['id']}") as ws:
        first = ws.receive_json()
        assert first["type"] == "snapshot"
        assert first["run"]["status"] == "created"
        assert any(e["kind"] == "boundary" for e in first["latest"])  # step-0 picture

        client.post(f"/api/runs/{run['id']}/control", json={"action": "start"})
        kinds: set[str] = set()
        metric_steps: list[int] = []
        while len(metric_steps) < 5 or "boundary" not in kinds:
            message: dict[str, Any] = ws.receive_json()
            assert message["type"] == "events"
            for event in message["events"]:
                kinds.add(event["kind"])
                if event["kind"] == "metrics":
                    metric_steps.append(event["step"])
        assert metric_steps == sorted(metric_steps)  # scalars arrive in order
        assert "status" in kinds
    client.post(f"/api/runs/{run['id']}/control", json={"action": "stop"})


def test_late_joiner_sees_the_whole_history(client: TestClient) -> None:
    run = client.post("/api/runs", json=small_run()).json()
    wait_for(client, run["id"], lambda r: r["status"] == "completed")
    with client.websocket_connect(f"/ws/runs/{run['id']}") as ws:
        snapshot = ws.receive_json()
    loss = snapshot["series"]["train/loss"]
    every = ProbeConfig().metrics_every
    assert loss["steps"] == list(range(0, 201, every))  # the step-0 picture, then the cadence
    assert [m["payload"]["status"] for m in snapshot["markers"] if m["kind"] == "status"][
        -1
    ] == "completed"


def test_unknown_run_closes_the_socket(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as excinfo,
        client.websocket_connect("/ws/runs/nope") as ws,
    ):
        ws.receive_json()
    assert excinfo.value.code == 4404


def test_cached_event_json_is_exactly_the_event_message() -> None:
    """Viewers share each event's serialisation; the text must equal the schema's."""
    session = make_session()
    probes = probes_for(
        session, metrics_every=1, gradients_every=1, stats_every=1, boundary_every=1
    )
    events = [e for _ in range(3) for e in probes.after_step(session.step())]
    assert len({e.kind for e in events}) >= 4
    cache = _JsonCache(size=8)
    for batch in (events, events[:2], events[::-1], []):
        expected = EventMessage(events=batch).model_dump_json()
        assert cache.message(batch) == expected
        assert cache.message(batch) == expected  # from the cache the second time


def test_many_viewers_share_a_message_budget_but_none_drops_below_the_floor() -> None:
    assert message_rate(0) == message_rate(1) == MAX_MESSAGES_PER_S
    assert message_rate(50) * 50 == pytest.approx(RUN_MESSAGES_PER_S)
    assert message_rate(10_000) == MIN_MESSAGES_PER_S
    rates = [message_rate(n) for n in range(1, 200)]
    assert rates == sorted(rates, reverse=True)
