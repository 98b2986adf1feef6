"""watch(server=...): events reach a real app; with the server down they spool and sync later."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr
from tests.watch.helpers import digits, mlp, train

from neuralscope import Settings, WatchConfig, watch
from neuralscope.events import EventKind, MetricsEvent, MetricsPayload, RunStatus
from neuralscope.server.app import create_app
from neuralscope.watch import WatchRun
from neuralscope.watching.config import WatchRunConfig
from neuralscope.watching.remote import ServerSink, Spool, sync_spool

CONFIG = WatchConfig(scalars_every=1, gradients_every=2, histograms_every=4, activations_every=4)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_counts(client: TestClient, run_id: str) -> tuple[dict[str, object], int, int]:
    # The metrics and events routes flush the server's recorder first; the run then is current.
    loss = client.get(f"/api/runs/{run_id}/metrics", params={"names": ["train/loss"]}).json()
    events = client.get(f"/api/runs/{run_id}/events").json()["events"]
    run = client.get(f"/api/runs/{run_id}").json()
    return run, len(loss["series"]["train/loss"]["steps"]), len(events)


def test_a_reachable_server_gets_every_event(tmp_path: Path) -> None:
    model = mlp()
    with TestClient(create_app(Settings(home=tmp_path / "server"))) as client:
        sink = ServerSink(
            "http://testserver",
            None,
            "remote",
            WatchRunConfig(model="m", parameters=1, layers=[]),
            Settings(home=tmp_path / "client"),
            http=client,
        )
        with WatchRun(model, sink, CONFIG) as run:
            train(model, digits(n_train=320), epochs=2, run=run)
        assert not sink.spooled
        run_json, losses, markers = _server_counts(client, run.id)
    assert run_json["kind"] == "watch"
    assert run_json["status"] == RunStatus.COMPLETED
    assert run_json["config"]["model"] == "m"
    assert losses == 10
    assert markers >= 2  # running, completed (and any findings)


def test_server_down_spools_then_syncs_with_nothing_lost(tmp_path: Path) -> None:
    client_settings = Settings(home=tmp_path / "client")
    model = mlp()
    server = f"http://127.0.0.1:{_closed_port()}"
    with watch(
        model, server=server, settings=client_settings, config=CONFIG, name="offline"
    ) as run:
        train(model, digits(n_train=320), epochs=2, run=run)  # never blocks, never raises
    spool = Spool(client_settings.home, run.id)
    spooled = spool.read()
    assert spooled, "the events wait in the spool"
    kinds = {e.kind for e in spooled}
    assert {
        EventKind.METRICS,
        EventKind.STATUS,
        EventKind.CALIBRATION,
        EventKind.HISTOGRAMS,
    } <= kinds

    with TestClient(create_app(Settings(home=tmp_path / "server"))) as client:
        assert sync_spool(client_settings, http=client) == len(spooled)
        run_json, losses, markers = _server_counts(client, run.id)
        hist = client.get(f"/api/runs/{run.id}/snapshot").json()
    assert not spool.events_path.exists()
    assert not spool.header_path.exists()
    assert run_json["status"] == RunStatus.COMPLETED
    assert run_json["last_step"] == 10
    assert losses == 10
    discrete = [e for e in spooled if e.kind in (EventKind.STATUS, EventKind.FINDING)]
    assert markers == len(discrete)
    assert hist["run"]["id"] == run.id


def test_ingest_routes_are_typed_and_token_protected(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, token=SecretStr("s3cret"))
    body = {"name": "w", "config": {"model": "m", "parameters": 1, "layers": []}}
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/watch/runs", json=body).status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        rid = "ab" * 16
        created = client.post("/api/watch/runs", json={**body, "id": rid}, headers=auth)
        assert created.status_code == 201
        again = client.post("/api/watch/runs", json={**body, "id": rid}, headers=auth)
        assert again.json()["id"] == rid  # idempotent: a client may retry
        event = {
            "run_id": "cd" * 16,
            "step": 1,
            "time": 1.0,
            "kind": "metrics",
            "payload": {"values": {"train/loss": 1.0}},
        }
        wrong = client.post(f"/api/watch/runs/{rid}/events", json={"events": [event]}, headers=auth)
        assert wrong.status_code == 422
        good = client.post(
            f"/api/watch/runs/{rid}/events",
            json={"events": [{**event, "run_id": rid}]},
            headers=auth,
        )
        assert good.json() == {"accepted": 1}
        missing = client.post(
            f"/api/watch/runs/{'ef' * 16}/events", json={"events": []}, headers=auth
        )
        assert missing.status_code == 404
        playground = client.post("/api/runs", json={}, headers=auth).json()["id"]
        assert (
            client.post(
                f"/api/watch/runs/{playground}/events", json={"events": []}, headers=auth
            ).status_code
            == 409
        )


def test_a_full_buffer_spills_to_disk_instead_of_blocking(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    sink = ServerSink(
        f"http://127.0.0.1:{_closed_port()}",
        None,
        "x",
        WatchRunConfig(model="m", parameters=1, layers=[]),
        settings,
        flush_interval=60.0,
        max_buffer=3,
    )
    events: list[MetricsEvent] = []
    for step in range(1, 11):
        events.append(
            MetricsEvent(
                run_id=sink.run_id,
                step=step,
                time=0.0,
                payload=MetricsPayload(values={"x": float(step)}),
            )
        )
        sink.emit(events[-1:])
    sink.close()
    assert [e.step for e in Spool(tmp_path, sink.run_id).read()] == list(range(1, 11))


def test_histogram_frames_are_listed_in_step_order(tmp_path: Path) -> None:
    model = mlp()
    with TestClient(create_app(Settings(home=tmp_path / "server"))) as client:
        sink = ServerSink(
            "http://testserver",
            None,
            "h",
            WatchRunConfig(model="m", parameters=1, layers=[]),
            Settings(home=tmp_path / "client"),
            http=client,
        )
        with WatchRun(model, sink, CONFIG) as run:
            train(model, digits(n_train=320), epochs=1, run=run)
        frames = client.get(f"/api/watch/runs/{run.id}/histograms").json()["frames"]
        later = client.get(f"/api/watch/runs/{run.id}/histograms", params={"after_step": 3})
    steps = [f["step"] for f in frames]
    assert steps == sorted(steps)
    assert {4} <= set(steps)  # parameters every 4 steps, activations too
    assert all(f["step"] > 3 for f in later.json()["frames"])
