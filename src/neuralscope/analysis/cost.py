"""Cost: parameters (tied weights once), FLOPs/MACs, memory, latency and per-layer timing.

FLOPs come from ``torch.utils.flop_counter.FlopCounterMode`` (the reference; PERFORMANCE.md),
with the fused MHA fast path disabled while counting so attention is visible. FlopCounterMode
counts a multiply-add as 2 FLOPs, so MACs = FLOPs / 2 for the matmul/conv ops it counts.
Latency is wall-clock p50/p95 of repeated forward passes under ``torch.inference_mode``.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Iterator

import torch
from pydantic import BaseModel, ConfigDict, Field
from torch.utils.flop_counter import FlopCounterMode

from neuralscope.analysis._inputs import eval_mode
from neuralscope.analysis.config import AnalysisConfig

_BUFFER_SUFFIXES = ("running_mean", "running_var", "num_batches_tracked")


class LatencyStat(BaseModel):
    model_config = ConfigDict(frozen=True)

    batch_size: int
    p50_ms: float
    p95_ms: float


class LayerCost(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    params: int
    flops: int | None
    output_shape: list[int] | None
    time_ms: float | None
    flops_per_param: float | None


class CostReport(BaseModel):
    """Sizes are exact; FLOPs/latency exist only when the model can run."""

    model_config = ConfigDict(frozen=True)

    total_params: int
    trainable_params: int
    tied: list[list[str]]
    weight_bytes: int
    flops: int | None
    macs: int | None
    flops_note: str
    estimated: bool = Field(
        False, description="FLOPs/latency estimated from rebuilt layers (weights-only files)"
    )
    activation_bytes: int | None
    batch_size: int | None
    latency: list[LatencyStat]
    layers: list[LayerCost]


def count_params(state: dict[str, torch.Tensor], module: torch.nn.Module | None) -> CostReport:
    """Parameter counts with tied (shared-storage) tensors counted once."""
    seen: dict[tuple[int, int, tuple[int, ...]], str] = {}
    tied: dict[str, list[str]] = {}
    total = trainable = nbytes = 0
    params = dict(module.named_parameters(remove_duplicate=False)) if module else {}
    for name, t in state.items():
        key = (t.untyped_storage().data_ptr(), int(t.storage_offset()), tuple(t.shape))
        if key in seen and t.numel() > 0:
            tied.setdefault(seen[key], [seen[key]]).append(name)
            continue
        seen[key] = name
        nbytes += t.numel() * t.element_size()
        if module is None and name.endswith(_BUFFER_SUFFIXES):
            continue  # normalisation statistics in a bare state_dict are buffers, not parameters
        if module is None or name in params:
            total += t.numel() if t.is_floating_point() else 0
            p = params.get(name)
            trainable += (
                t.numel()
                if (p is None and t.is_floating_point()) or (p is not None and p.requires_grad)
                else 0
            )
    return CostReport(
        total_params=total,
        trainable_params=trainable,
        tied=list(tied.values()),
        weight_bytes=nbytes,
        flops=None,
        macs=None,
        flops_note="weights only: FLOPs need an executable model"
        if module is None
        else "no example input: pass example_input (CLI: --input-shape) for FLOPs and latency",
        activation_bytes=None,
        batch_size=None,
        latency=[],
        layers=[],
    )


@contextlib.contextmanager
def _fastpath_disabled() -> Iterator[None]:
    before = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        yield
    finally:
        torch.backends.mha.set_fastpath_enabled(before)


def _repeat_batch(x: torch.Tensor, batch: int) -> torch.Tensor:
    reps = [(batch + x.shape[0] - 1) // x.shape[0]] + [1] * (x.ndim - 1)
    return x.repeat(*reps)[:batch]


def hookable(module: torch.nn.Module) -> bool:
    """TorchScript modules refuse forward hooks: per-layer probes are skipped for them."""
    return not isinstance(module, torch.jit.ScriptModule)


def _leaves(module: torch.nn.Module) -> dict[str, torch.nn.Module]:
    return {n: m for n, m in module.named_modules() if n and not list(m.children())}


def _per_layer_pass(
    module: torch.nn.Module, x: torch.Tensor
) -> tuple[dict[str, list[int]], dict[str, float], int]:
    shapes: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    starts: dict[str, float] = {}
    act_bytes = 0
    handles = []
    for name, leaf in _leaves(module).items():

        def pre(_m: torch.nn.Module, _i: object, name: str = name) -> None:
            starts[name] = time.perf_counter()

        def post(_m: torch.nn.Module, _i: object, out: object, name: str = name) -> None:
            nonlocal act_bytes
            times[name] = times.get(name, 0.0) + (time.perf_counter() - starts[name]) * 1e3
            if isinstance(out, tuple):
                out = out[0]
            if isinstance(out, torch.Tensor):
                shapes[name] = list(out.shape)
                act_bytes += out.numel() * out.element_size()

        handles += [leaf.register_forward_pre_hook(pre), leaf.register_forward_hook(post)]
    try:
        with torch.inference_mode():
            module(x)
    finally:
        for h in handles:
            h.remove()
    return shapes, times, act_bytes


def measure_cost(
    module: torch.nn.Module,
    example: torch.Tensor,
    base: CostReport,
    config: AnalysisConfig,
) -> CostReport:
    """FLOPs, activation memory, per-layer timing and latency for a runnable model."""
    eval_mode(module)
    counter = FlopCounterMode(display=False)
    with _fastpath_disabled(), counter, torch.no_grad():
        module(example)
    by_module = counter.get_flop_counts()
    total_flops = int(counter.get_total_flops())
    batch = _repeat_batch(example, config.activation_batch)
    shapes: dict[str, list[int]] = {}
    times: dict[str, float] = {}
    act_bytes: int | None = None
    if hookable(module):
        shapes, times, act_bytes = _per_layer_pass(module, batch)
    latency = []
    for b in config.latency_batches:
        xb = _repeat_batch(example, b)
        samples = []
        with torch.inference_mode():
            module(xb)
            for _ in range(config.latency_repeats):
                t0 = time.perf_counter()
                module(xb)
                samples.append((time.perf_counter() - t0) * 1e3)
        q = statistics.quantiles(samples, n=20)
        latency.append(LatencyStat(batch_size=b, p50_ms=statistics.median(samples), p95_ms=q[18]))
    layers = []
    for name, leaf in _leaves(module).items():
        params = sum(p.numel() for p in leaf.parameters(recurse=False))
        ran = name in shapes
        flops = sum(by_module.get(f"{type(module).__name__}.{name}", {}).values()) if ran else None
        layers.append(
            LayerCost(
                name=name,
                params=params,
                flops=flops,
                output_shape=shapes.get(name),
                time_ms=times.get(name),
                flops_per_param=(flops / params) if flops is not None and params else None,
            )
        )
    return base.model_copy(
        update={
            "flops": total_flops,
            "macs": total_flops // 2,
            "flops_note": "FlopCounterMode (MHA fast path off); MACs = FLOPs / 2",
            "activation_bytes": act_bytes,
            "batch_size": config.activation_batch,
            "latency": latency,
            "layers": layers,
        }
    )
