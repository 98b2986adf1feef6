"""Load: 50 WebSocket viewers of one live Playground run (issue #8).

Bars: training speed with 50 viewers within 20% of its speed with one viewer; no viewer falls
more than 2 s behind; the server's memory stays bounded.

One real server (uvicorn subprocess, SQLite) trains one run without a step limit. Phases of
``--seconds`` each, on the same run: 1 viewer, then ``--rounds`` times 50 viewers and 1 (the
one-viewer phases bracket drift). Training speed is the run's steps per second over a phase (its
``last_step`` read before and after). A viewer's lag is, for every message it receives, the
receive time minus the newest event time in the message; its worst lag after the first
second is reported. Memory is the server's resident set size (``/proc/PID/status``) at the end
of each phase: bounded means the growth from one 50-viewer phase to the next dies out
(the allocator keeps what the first phase freed, so the level after it is the baseline).

    .venv/bin/python benchmarks/ws_viewers.py [--viewers 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import websockets

from session_overhead import ServerProcess

RUN = {
    "config": {
        "spec": {
            "layers": [{"units": 8, "activation": "tanh"}, {"units": 8, "activation": "tanh"}]
        },
        "data": {"dataset": "spirals", "noise": 0.1},
        "hyperparameters": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 10},
        "seed": 1,
    },
    "name": "ws-load",
    "start": True,
}


def _newest_time(message: dict[str, object]) -> float | None:
    events = message.get("events")
    if not isinstance(events, list) or not events:
        return None
    times = [e["time"] for e in events if isinstance(e, dict) and "time" in e]
    return max(times) if times else None


async def _viewer(ws_url: str, until: float, lags: list[float]) -> int:
    received = 0
    started = time.time()
    async with websockets.connect(ws_url, max_size=None) as ws:
        while time.time() < until:
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=max(0.05, until - time.time()))
            except TimeoutError:
                break
            received += 1
            newest = _newest_time(json.loads(raw))
            if newest is not None and time.time() - started > 1.0:
                lags.append(time.time() - newest)
    return received


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _phase(url: str, run_id: str, viewers: int, seconds: float) -> dict[str, float]:
    ws_url = url.replace("http://", "ws://") + f"/ws/runs/{run_id}"
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        until = time.time() + seconds
        per_viewer: list[list[float]] = [[] for _ in range(viewers)]
        tasks = [asyncio.create_task(_viewer(ws_url, until, lags)) for lags in per_viewer]
        await asyncio.sleep(1.0)  # everyone connected and past the snapshot
        first = (await client.get(f"/api/runs/{run_id}")).json()["last_step"]
        t0 = time.monotonic()
        counts = await asyncio.gather(*tasks)
        last = (await client.get(f"/api/runs/{run_id}")).json()["last_step"]
        elapsed = time.monotonic() - t0
    worst = [max(lags) if lags else float("inf") for lags in per_viewer]
    return {
        "steps_per_s": (last - first) / elapsed,
        "worst_lag_s": max(worst),
        "median_worst_lag_s": statistics.median(worst),
        "messages_per_viewer": statistics.median(counts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3, help="many-viewer phases")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        server = ServerProcess(Path(home)).start()
        url = server.url
        try:
            run_id = httpx.post(f"{url}/api/runs", json=RUN, timeout=30).json()["id"]
            results = []
            for viewers in [1] + [args.viewers, 1] * args.rounds:
                phase = asyncio.run(_phase(url, run_id, viewers, args.seconds))
                phase["rss_mb"] = _rss_mb(server.pid)
                results.append((viewers, phase))
                print(
                    f"{viewers:3d} viewer(s): {phase['steps_per_s']:7.1f} steps/s, worst lag "
                    f"{phase['worst_lag_s']:.2f} s (median viewer {phase['median_worst_lag_s']:.2f}"
                    f" s), {phase['messages_per_viewer']:.0f} messages each, "
                    f"server RSS {phase['rss_mb']:.0f} MB"
                )
        finally:
            server.stop()
    one = statistics.mean([r["steps_per_s"] for n, r in results if n == 1])
    many = [r for n, r in results if n != 1]
    ratio = statistics.mean([r["steps_per_s"] for r in many]) / one
    lag = max(r["worst_lag_s"] for r in many)
    rss = [r["rss_mb"] for r in many]
    growth = [b - a for a, b in itertools.pairwise(rss)]
    print(f"training speed with {args.viewers} viewers / 1 viewer: {ratio:.2f} (bar >= 0.80)")
    print(f"worst viewer lag with {args.viewers} viewers: {lag:.2f} s (bar <= 2 s)")
    print(
        f"server RSS after each {args.viewers}-viewer phase: "
        + ", ".join(f"{m:.0f}" for m in rss)
        + " MB; growth between them: "
        + ", ".join(f"{g:+.0f}" for g in growth)
        + " MB (bounded: the last growth < 20 MB)"
    )


if __name__ == "__main__":
    main()
