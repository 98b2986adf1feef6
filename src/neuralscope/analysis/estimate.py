"""FLOPs and latency for weights-only files (state dicts, safetensors, ONNX initializers).

With no executable module, each inferred layer is rebuilt as its functional equivalent on its
own tensors (``F.linear``, ``F.conv{1,2,3}d`` with 'same' padding, ``F.embedding``,
``F.layer_norm``, packed attention as one ``3d x d`` projection) and run alone on a synthetic
input: one token / one sample for linear layers, a ``assumed_spatial``-sized feature map for
convolutions. FLOPs come from ``torch.utils.flop_counter.FlopCounterMode`` (PERFORMANCE.md);
recurrent layers, which it does not count, use the closed form 2 * G*H * (I + H) per step and
layer (G gates of width H; the cell equations of Hochreiter & Schmidhuber 1997 / Cho 2014).
Latency is the sum of the layers' p50/p95 at batch 1 (each layer timed for up to
``latency_repeats`` calls or about 2 ms, at least 5 calls). This is an ESTIMATE: it ignores
parameter-free operations (attention scores and softmax, activations, pooling, residual adds)
and the real spatial sizes, and it is labelled as such in every report.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.cost import CostReport, LatencyStat, LayerCost
from neuralscope.nets.io import LayerInfo

Runner = Callable[[], torch.Tensor]


def _tensor(state: dict[str, torch.Tensor], layer: str, leaf: str) -> torch.Tensor | None:
    t = state.get(f"{layer}.{leaf}" if layer else leaf)
    return t.detach().float() if t is not None and t.is_floating_point() else None


def _runner(info: LayerInfo, state: dict[str, torch.Tensor], spatial: int) -> Runner | None:
    w = _tensor(state, info.name, "weight")
    b = _tensor(state, info.name, "bias")
    if info.kind == "attention":
        w = _tensor(state, info.name, "in_proj_weight")
        b = _tensor(state, info.name, "in_proj_bias")
    if w is None:
        return None
    if info.kind in ("linear", "attention") and w.ndim == 2:
        x = torch.randn(1, w.shape[1])
        return lambda: F.linear(x, w, b)
    if info.kind.startswith("conv") and w.ndim in (3, 4, 5):
        d = w.ndim - 2
        conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[d]
        xc = torch.randn(1, w.shape[1], *([spatial] * d))
        pad = [k // 2 for k in w.shape[2:]]
        return lambda: conv(xc, w, b, padding=pad)
    if info.kind == "embedding" and w.ndim == 2:
        ids = torch.zeros(1, 1, dtype=torch.long)
        return lambda: F.embedding(ids, w)
    if info.kind == "norm" and w.ndim == 1:
        xn = torch.randn(1, w.shape[0])
        return lambda: F.layer_norm(xn, (w.shape[0],), w, b)
    return None


def _rnn_flops(info: LayerInfo) -> int:
    total = 0
    for leaf, shape in info.shapes.items():
        hh = info.shapes.get(leaf.replace("_ih_", "_hh_"))
        if leaf.startswith("weight_ih_l") and hh is not None and len(shape) == 2:
            total += 2 * shape[0] * (shape[1] + hh[1])
    return total


def _time(run: Runner, repeats: int, budget_ms: float = 2.0) -> tuple[float, float]:
    """p50/p95 over up to ``repeats`` calls, stopping after ``budget_ms`` once 5 are in."""
    run()
    samples: list[float] = []
    while len(samples) < repeats and (len(samples) < 5 or sum(samples) < budget_ms):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1e3)
    q = statistics.quantiles(samples, n=20) if len(samples) > 1 else samples * 19
    return statistics.median(samples), q[18]


def estimate_cost(
    layers: list[LayerInfo],
    state: dict[str, torch.Tensor],
    base: CostReport,
    config: AnalysisConfig,
) -> CostReport:
    """The weights-only estimate (see the module docstring); ``base`` keeps the exact sizes."""
    rows: list[LayerCost] = []
    p50 = p95 = 0.0
    total = 0
    with torch.inference_mode():
        for info in layers:
            run = _runner(info, state, config.assumed_spatial)
            flops: int | None
            shape: list[int] | None = None
            ms: float | None = None
            if run is not None:
                counter = FlopCounterMode(display=False)
                with counter:
                    out = run()
                flops = int(counter.get_total_flops())
                shape = list(out.shape)
                ms, slow = _time(run, config.latency_repeats)
                p50, p95 = p50 + ms, p95 + slow
            elif info.kind in ("lstm", "gru", "rnn"):
                flops = _rnn_flops(info)
            else:
                flops = None
            total += flops or 0
            rows.append(
                LayerCost(
                    name=info.name,
                    params=info.params,
                    flops=flops,
                    output_shape=shape,
                    time_ms=ms,
                    flops_per_param=flops / info.params
                    if flops is not None and info.params
                    else None,
                )
            )
    note = (
        "ESTIMATE from the weights alone: each inferred layer rebuilt and run on its own at "
        f"batch 1 (one token per linear layer, {config.assumed_spatial}x{config.assumed_spatial} "
        "maps for convolutions); parameter-free ops (attention scores, activations, pooling) "
        "are not counted; latency = sum of per-layer p50/p95; MACs = FLOPs / 2"
    )
    return base.model_copy(
        update={
            "flops": total,
            "macs": total // 2,
            "flops_note": note,
            "estimated": True,
            "batch_size": 1,
            "latency": [LatencyStat(batch_size=1, p50_ms=p50, p95_ms=p95)] if p50 > 0 else [],
            "layers": rows,
        }
    )


def fill_layers(
    cost: CostReport,
    layers: list[LayerInfo],
    state: dict[str, torch.Tensor],
    config: AnalysisConfig,
) -> CostReport:
    """A measured report whose per-layer rows are empty (torch.export and TorchScript graphs
    run ops, not submodules, so no hook fires): per-layer rows from the estimate instead, the
    measured totals kept, and the note says so."""
    if any(c.flops is not None for c in cost.layers):
        return cost
    rows = estimate_cost(layers, state, cost, config).layers
    note = (
        f"{cost.flops_note}; per-layer rows ESTIMATED from rebuilt layers "
        "(this format hides module boundaries)"
    )
    return cost.model_copy(update={"layers": rows, "flops_note": note})
