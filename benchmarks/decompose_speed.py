"""Decomposition speed: identification of a 512-unit layer from 4,096 probe samples, and the
overhead of live decomposition as a share of training time, measured side by side.

Identification = one hooked probe pass, |corr| affinity, partition (default
CorrelationComponents: components, eigengap fallback) and the permutation p-value, without
ablation metrics. Two layers are timed: planted (4 blocks of 128 units reading separate input
quarters: the components path) and dense (one component: the eigengap path).

Live overhead: the same MLP trained with Adam, a bare loop and a loop calling
``ModuleStream.after_step`` (what Playground and watched runs call: identification, the
Taylor proxy and gradient flow from one backward pass, ablation evaluations when they fit,
and the ``modules`` event with its drive maps) at its default cadence (LiveConfig: at least
200 steps apart, within a 4% running budget, so the first decomposition is amortised over the
run: use runs of 10,000+ steps), interleaved, medians over repeats, in CPU time of this
process. The probe batch has targets, so evaluations (ablation metrics) are included.

Bars (issue #7): identification <= 1 s; live overhead <= 5% of training time.

    .venv/bin/python benchmarks/decompose_speed.py [--repeats 5] [--steps 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch
from torch import nn

from neuralscope.decomposition import decompose
from neuralscope.decomposition.decompose import DecomposeConfig
from neuralscope.decomposition.stream import ModuleStream

UNITS, SAMPLES, INPUTS = 512, 4096, 64


def _model(planted: bool) -> nn.Sequential:
    first = nn.Linear(INPUTS, UNITS)
    if planted:
        with torch.no_grad():
            first.weight.mul_(torch.block_diag(*[torch.ones(UNITS // 4, INPUTS // 4)] * 4))
    return nn.Sequential(first, nn.ReLU(), nn.Linear(UNITS, 10))


def identification(repeats: int) -> None:
    x = torch.randn(SAMPLES, INPUTS)
    for planted in (True, False):
        model = _model(planted)
        config = DecomposeConfig(metrics=False)
        times, verdict = [], ""
        for _ in range(repeats):
            start = time.perf_counter()
            layer = decompose(model, x, layer="1", config=config).layer("1")
            times.append(time.perf_counter() - start)
            verdict = layer.verdict
        name = "planted" if planted else "dense"
        print(
            f"identify {name:8s} {UNITS} units x {SAMPLES} samples: median "
            f"{statistics.median(times):.3f} s (min {min(times):.3f}, {config.permutations} "
            f"permutations; bar <= 1 s)  -> {verdict}"
        )


def _train(steps: int, live: ModuleStream | None, seed: int) -> tuple[float, float]:
    """CPU seconds of this process for ``steps`` training steps (CPU time, not wall time:
    the machine is shared, and other processes' load would swamp a wall-clock ratio), and
    wall seconds."""
    torch.manual_seed(seed)
    model = _model(planted=False)
    x, y = torch.randn(8192, INPUTS), torch.randint(0, 10, (8192,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    start, wall = time.process_time(), time.perf_counter()
    for step in range(1, steps + 1):
        idx = torch.randint(0, 8192, (128,))
        opt.zero_grad()
        nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
        if live is not None:
            live.after_step(step, model, 0.0)
    return time.process_time() - start, time.perf_counter() - wall


def live_overhead(repeats: int, steps: int) -> None:
    probe, targets = torch.randn(SAMPLES, INPUTS), torch.randint(0, 10, (SAMPLES,))
    ratios, counts, evals, bare_times, costs, accounted = [], [], [], [], [], []
    for r in range(repeats):
        bare, _ = _train(steps, None, r)
        stream = ModuleStream("bench", ["1"], probe, targets)
        with_live, wall = _train(steps, stream, r)
        live = stream.live
        ratios.append(with_live / bare - 1.0)
        accounted.append(live.spent / (wall - live.spent))
        counts.append(len(live.snapshots))
        evals.append(sum(s.evaluated for s in live.snapshots))
        bare_times.append(bare)
        costs.extend(s.seconds for s in live.snapshots)
    print(
        f"live     {steps} Adam steps (batch 128, {INPUTS}-{UNITS}-10 MLP, "
        f"{statistics.median(bare_times) / steps * 1e3:.2f} ms/step CPU), probe {SAMPLES} "
        f"samples, default cadence (>= 200 steps apart, 4% budget): CPU-time overhead median "
        f"{100 * statistics.median(ratios):.1f}% (all: "
        f"{', '.join(f'{100 * v:.1f}%' for v in ratios)}; decompositions per run: {counts}, "
        f"of which evaluations: {evals}, "
        f"median {statistics.median(costs):.3f} s wall each; bar <= 5%); decomposition wall "
        f"time / training wall time: median {100 * statistics.median(accounted):.1f}%"
    )


def playground(repeats: int, steps: int) -> None:
    """A default Playground run (spirals, 2-8-8-1, every probe at its default cadence) with
    and without module decomposition, interleaved: wall time of the whole step loop."""
    from neuralscope.training import ProbeConfig, Session, SessionConfig, SessionProbes

    def run(modules: bool) -> tuple[float, float, float]:
        session = Session(SessionConfig(max_steps=steps))
        off = ProbeConfig(modules_every=10**9)
        probes = SessionProbes(session, "bench", None if modules else off)
        session.start()
        start = time.perf_counter()
        while not session.status.is_terminal:
            probes.after_step(session.step())
        wall = time.perf_counter() - start
        live = probes.modules.live if modules and probes.modules else None
        if live is None:
            return wall, 0.0, 0.0
        final = live.snapshots[-1].seconds if live.snapshots[-1].step == steps else 0.0
        return wall, live.spent - final, final

    ratios, during, finals = [], [], []
    for _ in range(repeats):
        bare, _, _ = run(False)
        wall, spent, final = run(True)
        ratios.append(wall / bare - 1.0)
        during.append(spent / (wall - spent - final))
        finals.append(final)
    print(
        f"playground {steps} steps (default run, every probe on): wall overhead of modules "
        f"median {100 * statistics.median(ratios):.1f}% (all: "
        f"{', '.join(f'{100 * v:.1f}%' for v in ratios)}), of which during training "
        f"(decomposition time / the rest of the loop) median "
        f"{100 * statistics.median(during):.1f}% "
        f"and the final evaluation at completion median {statistics.median(finals):.2f} s once"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"torch threads 1; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    identification(args.repeats)
    live_overhead(max(1, args.repeats // 2), args.steps)
    playground(max(1, args.repeats // 2), 5000)


if __name__ == "__main__":
    main()
