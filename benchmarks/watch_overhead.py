"""watch() overhead: a bare 784-128-10 MLP loop vs the same loop under ``neuralscope.watch``.

Both loops train the same model (same init) on the same synthetic 784-d batches (batch 64, SGD)
on one thread, interleaved (bare, watched, bare, watched, ...) so machine load hits both
alike. Reported: the median time per step of each and the ratio of the medians; the ratio of
total times (which includes the rare heavy steps: histograms, window ends); and the time spent
inside ``run.log`` relative to the rest of the watched loop (the direct cost, least sensitive
to other processes; it excludes the recorder thread's work).

Bar (issue #5): watched / bare <= 1.10 with the default ``WatchConfig`` cadences.

    .venv/bin/python benchmarks/watch_overhead.py [--steps 3000] [--chunk 100]

The loops alternate in chunks of ``--chunk`` steps inside one watched run, so both see the
same machine load; the recorder's background thread may also run during bare chunks (on
another core when there is one).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

from neuralscope import Settings, WatchConfig, WatchRun, watch


def make_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def data(steps: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    return torch.rand(steps, 64, 784, generator=g), torch.randint(0, 10, (steps, 64), generator=g)


class Loop:
    """One user's training loop, advanced a chunk of steps at a time."""

    def __init__(self, model: nn.Module, run: WatchRun | None) -> None:
        self.model, self.run = model, run
        self.opt = torch.optim.SGD(model.parameters(), lr=0.05)
        self.loss_fn = nn.CrossEntropyLoss()
        self.in_log = 0.0  # seconds spent inside run.log (the direct cost of watching)

    def steps(self, xs: torch.Tensor, ys: torch.Tensor) -> float:
        """Run the batches; return the seconds per step."""
        start = time.perf_counter()
        for x, y in zip(xs, ys, strict=True):
            logits = self.model(x)
            loss = self.loss_fn(logits, y)
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            if self.run is not None:
                t0 = time.perf_counter()
                self.run.log(loss=loss, outputs=logits, targets=y)
                self.in_log += time.perf_counter() - t0
        return (time.perf_counter() - start) / len(xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000, help="training steps per loop")
    parser.add_argument("--chunk", type=int, default=100, help="steps per interleaved chunk")
    args = parser.parse_args()
    torch.set_num_threads(1)
    xs, ys = data(args.chunk)
    base = make_model()
    config = WatchConfig()
    bare_times: list[float] = []
    watched_times: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        bare = Loop(copy.deepcopy(base), None)
        model = copy.deepcopy(base)
        with watch(model, name="overhead", settings=settings, config=config) as run:
            watched = Loop(model, run)
            bare.steps(xs[:20], ys[:20])  # warm-up: first-use imports and caches
            watched.steps(xs[:20], ys[:20])
            watched.in_log = 0.0
            for _ in range(args.steps // args.chunk):
                bare_times.append(bare.steps(xs, ys))
                watched_times.append(watched.steps(xs, ys))
    b, w = statistics.median(bare_times), statistics.median(watched_times)
    pairs = sorted(wt / bt for bt, wt in zip(bare_times, watched_times, strict=True))
    print(
        f"{args.steps} steps per loop in chunks of {args.chunk}, interleaved; batch 64; 784-128-10"
    )
    print(f"cadences: {config.model_dump(exclude={'rules'})}")
    print(f"bare    : {b * 1e3:.3f} ms/step (median over chunks)")
    print(f"watched : {w * 1e3:.3f} ms/step (median over chunks)")
    total = sum(watched_times) / sum(bare_times)
    print(f"ratio   : {w / b:.3f} of medians; {total:.3f} of total time (bar <= 1.10)")
    direct = watched.in_log / (sum(watched_times) * args.chunk - watched.in_log)
    print(f"time inside run.log: {direct:.3f} of the rest of the watched loop")
    print(
        f"paired chunk ratios: median {statistics.median(pairs):.3f}, "
        f"quartiles {pairs[len(pairs) // 4]:.3f}-{pairs[3 * len(pairs) // 4]:.3f}"
    )


if __name__ == "__main__":
    main()
