"""Boundary rate: 100x100 decision-boundary frames a viewer receives per second while training.

Issue #3's bar: at least 10 boundary updates/s on a 100x100 grid for a small net while
training continues, and training itself stays close to a bare loop's speed.

Measured: a 2-8-8-1 tanh net on spirals, served by a real server (uvicorn subprocess, SQLite,
default probes, recorder) with a WebSocket viewer in this process. Updates/s counts boundary
frames the viewer *received* (each checked to be a 100x100 grid) per second of wall time
between the run's first and its last received frame. The training speed of the same run
(steps/s from its status events, running -> completed) is put beside a bare PyTorch loop over
the same model, data, optimizer and batch size; the two are interleaved, medians reported.

    .venv/bin/python benchmarks/boundary_rate.py [--steps 6000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import websockets

from session_overhead import CONFIG, ServerProcess, bare_steps_per_s

RESOLUTION = 100
TERMINAL = ("completed", "stopped", "failed", "diverged")


@dataclass
class Viewed:
    steps_per_s: float
    frames: int
    updates_per_s: float


def _check_frame(payload: dict[str, object]) -> None:
    """A received frame must really be a full 100x100 grid."""
    if payload["resolution"] != RESOLUTION:
        raise AssertionError(f"boundary resolution {payload['resolution']}, not {RESOLUTION}")
    values = payload["values"]
    assert isinstance(values, dict)
    if list(values["shape"]) != [RESOLUTION, RESOLUTION]:
        raise AssertionError(f"boundary grid shape {values['shape']}")
    if len(base64.b64decode(values["data"])) < RESOLUTION * RESOLUTION:
        raise AssertionError("boundary grid has fewer than 100x100 values")


async def _view(url: str, run_id: str, steps: int) -> Viewed:
    ws_url = url.replace("http", "ws", 1) + f"/ws/runs/{run_id}"
    received: list[float] = []  # wall time of each boundary frame's arrival
    t_running = t_done = None
    async with websockets.connect(ws_url, max_size=None) as ws:
        json.loads(await ws.recv())  # the snapshot
        async with httpx.AsyncClient() as client:
            await client.post(f"{url}/api/runs/{run_id}/control", json={"action": "start"})
        while t_done is None:
            message = json.loads(await ws.recv())
            arrived = time.perf_counter()
            for event in message["events"]:
                if event["kind"] == "boundary" and t_running is not None:
                    _check_frame(event["payload"])
                    received.append(arrived)
                elif event["kind"] == "status":
                    status = event["payload"]["status"]
                    if status == "running":
                        t_running = event["time"]
                    elif status in TERMINAL:
                        t_done = event["time"]
    assert t_running is not None
    # Frames arriving in one message count once: a viewer redraws once per message.
    arrivals = sorted(set(received))
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
    return Viewed(steps / (t_done - t_running), len(arrivals), (len(arrivals) - 1) / span)


def viewed_run(url: str, steps: int) -> Viewed:
    body = {"config": {**CONFIG.model_dump(mode="json"), "max_steps": steps}, "start": False}
    run_id = httpx.post(f"{url}/api/runs", json=body, timeout=30).json()["id"]
    return asyncio.run(_view(url, run_id, steps))


def _fmt(values: list[float], digits: int = 0) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    bare: list[float] = []
    viewed: list[Viewed] = []
    with tempfile.TemporaryDirectory() as home:
        server = ServerProcess(Path(home)).start()
        url = server.url
        try:
            bare_steps_per_s(200)  # warm-up
            viewed_run(url, 200)
            for _ in range(args.repeats):  # interleaved, so drift hits both alike
                bare.append(bare_steps_per_s(args.steps))
                viewed.append(viewed_run(url, args.steps))
        finally:
            server.stop()
    bare_med = statistics.median(bare)
    served_med = statistics.median(v.steps_per_s for v in viewed)
    updates = statistics.median(v.updates_per_s for v in viewed)
    ratio = served_med / bare_med
    print(
        f"model 2-8-8-1 tanh, spirals, adam, batch {CONFIG.hyperparameters.batch_size}, "
        f"{args.steps} steps x {args.repeats}, boundary grid {RESOLUTION}x{RESOLUTION}, "
        "torch threads 1"
    )
    print(
        f"boundary updates received {updates:6.1f}/s  "
        f"(runs: {_fmt([v.updates_per_s for v in viewed], 1)}; "
        f"frames: {', '.join(str(v.frames) for v in viewed)})"
    )
    print(
        f"training while viewed     {served_med:6.0f} steps/s "
        f"(runs: {_fmt([v.steps_per_s for v in viewed])})"
    )
    print(f"bare loop                 {bare_med:6.0f} steps/s (runs: {_fmt(bare)})")
    print(
        f"updates/s {updates:.1f} (bar >= 10: {'PASS' if updates >= 10 else 'FAIL'}); "
        f"ratio viewed/bare = {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
