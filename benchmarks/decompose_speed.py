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

Live overhead is also measured as a plain wall-clock A/B of the same seeded run (the wall
ratio with/without per repeat, the order alternating between repeats, and its median; bar
<= 1.05), so the figure does not rest on the stream's own accounting. Search: trial wall
time on digits with and without the per-epoch decomposition of the last hidden layer.

Bars (issue #7): identification <= 1 s; live overhead <= 5% of training time.

    .venv/bin/python benchmarks/decompose_speed.py [--repeats 5] [--steps 10000]
        [--search-only | --live-only] [--search-default]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch
from torch import nn

from neuralscope.decomposition import decompose
from neuralscope.decomposition.decompose import DecomposeConfig
from neuralscope.decomposition.stream import ModuleStream
from neuralscope.search.contract import StudyConfig

UNITS, SAMPLES, INPUTS = 512, 4096, 64


def _model(planted: bool) -> nn.Sequential:
    first = nn.Linear(INPUTS, UNITS)
    if planted:
        with torch.no_grad():
            blocks = [torch.ones(UNITS // 4, INPUTS // 4)] * 4
            first.weight.mul_(torch.block_diag(*blocks))  # type: ignore[no-untyped-call]
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
        loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
        if live is not None:
            live.after_step(step, model, 0.0)
    return time.process_time() - start, time.perf_counter() - wall


def live_overhead(repeats: int, steps: int) -> None:
    """The same seeded run without and with a ``ModuleStream``, interleaved (the order
    alternates per repeat: ABBA...). Two independent measures: CPU time of this process,
    and the wall-clock ratio with its median (bar <= 1.05), next to the stream's own
    accounting (time inside the decomposition / the rest)."""
    probe, targets = torch.randn(SAMPLES, INPUTS), torch.randint(0, 10, (SAMPLES,))
    ratios, walls, counts, evals, bare_times, accounted = [], [], [], [], [], []
    costs: list[float] = []
    for r in range(repeats):
        stream = ModuleStream("bench", ["1"], probe, targets)
        if r % 2 == 0:
            bare, bare_wall = _train(steps, None, r)
            with_live, wall = _train(steps, stream, r)
        else:
            with_live, wall = _train(steps, stream, r)
            bare, bare_wall = _train(steps, None, r)
        live = stream.live
        ratios.append(with_live / bare - 1.0)
        walls.append(wall / bare_wall)
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
    print(
        f"live     wall-clock A/B, same seeds, interleaved: with/without median ratio "
        f"{statistics.median(walls):.3f} (all: {', '.join(f'{v:.3f}' for v in walls)}; "
        f"bar <= 1.05)"
    )


def _search_config(default: bool) -> StudyConfig:
    """The tests' tiny digits study (a small CNN space, 300 training samples, 3 epochs), or
    the default digits study (the default CNN space, all training samples, 10 epochs)."""
    if default:
        return StudyConfig(name="bench", dataset="digits", objective="accuracy")
    space = {
        "family": "cnn",
        "params": {
            "filters": {"type": "int", "low": 4, "high": 8},
            "dense_units": {"type": "int", "low": 8, "high": 16},
            "conv_blocks": {"type": "int", "low": 1, "high": 2},
            "learning_rate": {"type": "float", "low": 3e-3, "high": 3e-2, "log": True},
            "batch_size": {"type": "categorical", "choices": [16]},
        },
    }
    return StudyConfig.model_validate(
        {"name": "bench", "dataset": "digits", "objective": "accuracy", "max_epochs": 3,
         "max_train_samples": 300, "space": space}
    )  # fmt: skip


def _arm(live: bool, steps: int, seed: int) -> None:
    """One side of the paired wall-clock A/B, in its own process: prints wall and CPU s."""
    probe, targets = torch.randn(SAMPLES, INPUTS), torch.randint(0, 10, (SAMPLES,))
    stream = ModuleStream("bench", ["1"], probe, targets) if live else None
    cpu, wall = _train(steps, stream, seed)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def paired_wall(repeats: int, steps: int) -> None:
    """Wall-clock A/B robust to a shared machine's drifting load: per repeat, the run without
    and the run with live decomposition (same seed) start together as two processes, so both
    see the same load; the ratio of their wall times, median over repeats (bar <= 1.05)."""
    ratios, cpu_ratios = [], []
    for r in range(repeats):
        arms = {
            live: subprocess.Popen(
                [sys.executable, __file__, "--arm", "live" if live else "bare",
                 "--steps", str(steps), "--seed", str(r)],
                stdout=subprocess.PIPE, text=True,
            )
            for live in (False, True)
        }  # fmt: skip
        out = {
            live: json.loads(p.communicate()[0].strip().splitlines()[-1])
            for live, p in arms.items()
        }
        ratios.append(out[True]["wall"] / out[False]["wall"])
        cpu_ratios.append(out[True]["cpu"] / out[False]["cpu"])
    print(
        f"live     paired wall-clock A/B ({steps} steps, both arms started together, same "
        f"seed): with/without median wall ratio {statistics.median(ratios):.3f} (all: "
        f"{', '.join(f'{v:.3f}' for v in ratios)}; bar <= 1.05); CPU ratio median "
        f"{statistics.median(cpu_ratios):.3f}; load average {os.getloadavg()[0]:.2f}"
    )


def search_trials(repeats: int, default: bool, trials: int) -> None:
    """Search trials on digits with and without the per-epoch module decomposition of the
    last hidden layer (search.trial_modules), interleaved (the order alternates), the same
    sampler seed, so both sides train the same networks: wall time per trial."""
    import tempfile
    from pathlib import Path

    import optuna

    from neuralscope.search.experiment import load_data
    from neuralscope.search.objective import Objective

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    config = _search_config(default)
    with tempfile.TemporaryDirectory() as home:
        data = load_data(config, Path(home) / "datasets")

        def run(modules: bool) -> float:
            sampler = optuna.samplers.RandomSampler(seed=0)
            study = optuna.create_study(direction="maximize", sampler=sampler)
            start = time.perf_counter()
            objective = Objective(config, data, Path(home), modules=modules)
            study.optimize(objective, n_trials=trials)
            return (time.perf_counter() - start) / trials

        run(True)  # warm-up (imports, first ONNX export)
        ratios, plain, spent = [], [], []
        for r in range(repeats):
            order = (False, True) if r % 2 == 0 else (True, False)
            times = {modules: run(modules) for modules in order}
            ratios.append(times[True] / times[False])
            plain.append(times[False])
            spent.append(times[True] - times[False])
    what = (
        "default study (default CNN space, all samples, 10 epochs)"
        if default
        else "tiny study (small CNN, 300 samples, 3 epochs)"
    )
    print(
        f"search   digits {what}, {trials} trials a study: "
        f"{statistics.median(plain):.2f} s/trial without modules; with/without median ratio "
        f"{statistics.median(ratios):.3f} (all: {', '.join(f'{v:.3f}' for v in ratios)}), "
        f"median +{statistics.median(spent):.3f} s/trial; load average {os.getloadavg()[0]:.2f}"
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
    parser.add_argument("--search-only", action="store_true", help="only the search trials")
    parser.add_argument(
        "--live-only", action="store_true", help="only the live overhead (repeats as given)"
    )
    parser.add_argument("--arm", choices=["bare", "live"], help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--search-default", action="store_true", help="also the default digits study (minutes)"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.arm is not None:
        _arm(args.arm == "live", args.steps, args.seed)
        return
    print(f"torch threads 1; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.live_only:
        live_overhead(args.repeats, args.steps)
        paired_wall(args.repeats, args.steps)
        return
    if not args.search_only:
        identification(args.repeats)
    search_trials(args.repeats, default=False, trials=4)
    if args.search_default:
        search_trials(max(1, args.repeats // 2), default=True, trials=2)
    if args.search_only:
        return
    live_overhead(max(1, args.repeats // 2), args.steps)
    paired_wall(max(1, args.repeats // 2), args.steps)
    playground(max(1, args.repeats // 2), 5000)


if __name__ == "__main__":
    main()
