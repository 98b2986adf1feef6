"""Session overhead: a live, probed, streamed run vs a bare PyTorch loop, side by side.

Baseline: a plain loop over the same model (same init), data, optimizer and batch size, on one
thread in this process. Measured: a run on a real server (uvicorn subprocess, SQLite, default
probes, recorder) with a connected WebSocket consumer in this process. Steps/s of the served
run comes from its own status events (running -> completed), so server start-up is excluded.

Bars (issue #2): ratio >= 0.8 of bare speed, and the viewer receives >= 10 updates/s.

    .venv/bin/python benchmarks/session_overhead.py [--steps 4000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import torch
import websockets

from neuralscope.data import make_dataset
from neuralscope.nets import build_model
from neuralscope.training import SessionConfig

# The benchmarks start their server with the tests' helper (tests/serverproc.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.serverproc import ServerProcess

CONFIG = SessionConfig.model_validate(
    {
        "spec": {
            "layers": [{"units": 8, "activation": "tanh"}, {"units": 8, "activation": "tanh"}]
        },
        "data": {"dataset": "spirals", "n_samples": 500},
        "hyperparameters": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 10},
        "seed": 1,
    }
)


def bare_steps_per_s(steps: int) -> float:
    """The baseline: what a person would write by hand for the same training."""
    torch.set_num_threads(1)
    torch.manual_seed(CONFIG.seed)
    data = make_dataset(CONFIG.data, seed=CONFIG.seed)
    model = build_model(CONFIG.spec, 2, 1)
    opt = torch.optim.Adam(model.parameters(), lr=CONFIG.hyperparameters.learning_rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    x, y = data.x_train, data.y_train
    bs = CONFIG.hyperparameters.batch_size
    perm = torch.randperm(len(x))
    pos = 0
    start = time.perf_counter()
    for _ in range(steps):
        if pos + bs > len(x):
            perm, pos = torch.randperm(len(x)), 0
        idx = perm[pos : pos + bs]
        pos += bs
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - start)


@dataclass
class Served:
    steps_per_s: float
    updates_per_s: float
    messages_per_s: float


async def _consume(url: str, run_id: str, steps: int) -> Served:
    ws_url = url.replace("http", "ws", 1) + f"/ws/runs/{run_id}"
    boundary_frames = 0
    messages = 0
    t_running = t_done = None
    async with websockets.connect(ws_url, max_size=None) as ws:
        json.loads(await ws.recv())  # snapshot
        async with httpx.AsyncClient() as client:
            await client.post(f"{url}/api/runs/{run_id}/control", json={"action": "start"})
        while t_done is None:
            message = json.loads(await ws.recv())
            messages += 1
            for event in message["events"]:
                if event["kind"] == "boundary" and t_running is not None:
                    boundary_frames += 1
                if event["kind"] == "status":
                    if event["payload"]["status"] == "running":
                        t_running = event["time"]
                    elif event["payload"]["status"] in (
                        "completed",
                        "stopped",
                        "failed",
                        "diverged",
                    ):
                        t_done = event["time"]
    assert t_running is not None
    duration = t_done - t_running
    return Served(steps / duration, boundary_frames / duration, messages / duration)


def served_run(url: str, steps: int) -> Served:
    body = {"config": {**CONFIG.model_dump(mode="json"), "max_steps": steps}, "start": False}
    run_id = httpx.post(f"{url}/api/runs", json=body, timeout=30).json()["id"]
    return asyncio.run(_consume(url, run_id, steps))


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        server = ServerProcess(Path(home)).start()
        try:
            bare, served = [], []
            bare_steps_per_s(200)  # warm-up
            served_run(server.url, 200)
            for _ in range(args.repeats):  # interleaved, so drift hits both alike
                bare.append(bare_steps_per_s(args.steps))
                served.append(served_run(server.url, args.steps))
        finally:
            server.stop()
    bare_med = statistics.median(bare)
    served_med = statistics.median(s.steps_per_s for s in served)
    updates = statistics.median(s.updates_per_s for s in served)
    ratio = served_med / bare_med
    print(
        f"model 2-8-8-1 tanh, spirals, adam, batch {CONFIG.hyperparameters.batch_size}, "
        f"{args.steps} steps x {args.repeats}, torch threads 1"
    )
    print(f"bare loop            {bare_med:8.0f} steps/s   (runs: {_fmt(bare)})")
    print(
        f"served + probes + ws {served_med:8.0f} steps/s   "
        f"(runs: {_fmt([s.steps_per_s for s in served])})"
    )
    print(
        f"viewer boundary updates {updates:.1f}/s, messages "
        f"{statistics.median(s.messages_per_s for s in served):.1f}/s"
    )
    print(
        f"ratio served/bare = {ratio:.2f}  (bar >= 0.80: {'PASS' if ratio >= 0.8 else 'FAIL'}); "
        f"updates/s {'PASS' if updates >= 10 else 'FAIL'} (bar >= 10)"
    )


if __name__ == "__main__":
    main()
