"""One forward/backward pass on the probe samples: activations and loss gradients of the
decomposed layers, and the gradient flow over the weights between consecutive layers.

Gradient flow across a weight W (Linear: z_j = sum_i W_ji a_i + b_j) from input unit i to
output unit j is the mean absolute first-order contribution of that edge to the loss,

    F_ji = E_n | dL/dz_nj * W_ji * a_ni |  =  |W_ji| * E_n[ |dL/dz_nj| * |a_ni| ],

the per-edge attribution of attribution patching (Nanda 2023; Syed, Rager & Conmy 2023,
"Attribution Patching Outperforms Automated Circuit Discovery"), with the absolute value
inside the sample mean as in the Taylor pruning criterion (Molchanov et al., ICLR 2017).
Because |x*y*z| = |x|*|y|*|z| the mean factorises exactly into one matrix product,
|g|^T |a| / n, so no (n, m2, m1) tensor is formed. For convolutions the edge is a channel
pair: |a| is averaged and |dL/dz| summed over positions and |W| summed over the kernel (an
approximation: positions are not paired).

The module Taylor proxy is SCIENCE.md section 4.3's T_M = | E_n[ sum_{i in M} a_ni * dL/da_ni ] |
(Molchanov et al., ICLR 2017; for conv channels the product is summed over positions first):
the first-order loss change of removing the module's output. It is cheap (this one pass) but
vanishes at convergence (SCIENCE.md section 0.2), so it is used between ablation evaluations,
never instead of them.

Gradients are taken with ``torch.autograd.grad`` on intermediate tensors, so no parameter's
``.grad`` is touched (safe inside a live training loop); the model runs in eval mode.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from neuralscope.decomposition import _probe

_WEIGHTED = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


def between_module(model: nn.Module, first: str, second: str, m1: int, m2: int) -> nn.Module:
    """The one Linear/Conv between two layers (module order) mapping m1 units to m2."""
    names = [n for n, _ in model.named_modules()]
    lo, hi = names.index(first), names.index(second)
    found = [
        mod
        for n, mod in model.named_modules()
        if lo < names.index(n) <= hi
        and isinstance(mod, _WEIGHTED)
        and mod.weight.shape[0] == m2
        and mod.weight.shape[1] == m1
    ]
    if len(found) != 1:
        raise LookupError(f"no single weight maps {first} ({m1}) to {second} ({m2})")
    return found[0]


def abs_weight(module: nn.Module) -> torch.Tensor:
    """|W| (m2, m1) in float64, summed over any kernel dimensions."""
    weight = module.weight
    assert isinstance(weight, torch.Tensor)
    w = weight.detach().abs().double().cpu()
    return w.flatten(2).sum(dim=2) if w.ndim > 2 else w


def _units(t: torch.Tensor, reduce: str) -> torch.Tensor:
    """(n, units) float64 of |t|: positions averaged (activations) or summed (gradients)."""
    a = t.detach().abs().double().cpu()
    if a.ndim > 2:
        a = a.flatten(2).mean(dim=2) if reduce == "mean" else a.flatten(2).sum(dim=2)
    return a.reshape(a.shape[0], -1)


@dataclass(frozen=True)
class Profile:
    """Per layer: activations (n, m) pooled per unit and a * dL/da (n, m) summed over a
    unit's positions (float64, numpy); per consecutive pair (first, second) with one weight
    between them: F (m2, m1)."""

    acts: dict[str, np.ndarray]
    contrib: dict[str, np.ndarray]
    flow: dict[tuple[str, str], np.ndarray]


def profile(
    model: nn.Module,
    layers: Sequence[str],
    inputs: torch.Tensor,
    targets: torch.Tensor,
    units: dict[str, int],
) -> Profile:
    """One hooked forward/backward pass of the probe samples (see the module docstring)."""
    outputs: dict[str, torch.Tensor] = {}
    edge_in: dict[tuple[str, str], torch.Tensor] = {}
    edge_out: dict[tuple[str, str], torch.Tensor] = {}
    edges: dict[tuple[str, str], nn.Module] = {}
    for first, second in itertools.pairwise(layers):
        try:
            edges[(first, second)] = between_module(
                model, first, second, units[first], units[second]
            )
        except LookupError:
            continue
    handles: list[RemovableHandle] = []

    def keep_output(name: str) -> Callable[[nn.Module, object, object], None]:
        def hook(_m: nn.Module, _i: object, output: object) -> None:
            outputs[name] = _probe._tensor(output)

        return hook

    def keep_edge(pair: tuple[str, str]) -> Callable[[nn.Module, object, object], None]:
        def hook(_m: nn.Module, args: object, output: object) -> None:
            edge_in[pair] = _probe._tensor(args)
            edge_out[pair] = _probe._tensor(output)

        return hook

    try:
        for name in layers:
            mod = _probe.module_named(model, name)
            handles.append(mod.register_forward_hook(keep_output(name)))
        for pair, mod in edges.items():
            handles.append(mod.register_forward_hook(keep_edge(pair)))
        with _probe.evaluating(model), torch.enable_grad():
            out = _probe._tensor(model(inputs))
            loss = _probe.task_loss(out.unsqueeze(0), targets)[0]
            wrt = [outputs[n] for n in layers] + [edge_out[p] for p in edges]
            grads = torch.autograd.grad(loss, wrt, allow_unused=True)
    finally:
        for handle in handles:
            handle.remove()
    g_layers = dict(zip(layers, grads[: len(layers)], strict=True))
    acts_np, contrib = {}, {}
    for name in layers:
        out_t = outputs[name].detach()
        g_t = g_layers[name]
        prod = (out_t * (torch.zeros_like(out_t) if g_t is None else g_t.detach())).double().cpu()
        acts_np[name] = _probe.unit_matrix(out_t)
        per_unit = prod.flatten(2).sum(dim=2) if prod.ndim > 2 else prod
        contrib[name] = np.asarray(per_unit.reshape(out_t.shape[0], -1).numpy())
    flow: dict[tuple[str, str], np.ndarray] = {}
    for (pair, mod), g in zip(edges.items(), grads[len(layers) :], strict=True):
        a_abs = _units(edge_in[pair], "mean")
        g_abs = torch.zeros(a_abs.shape[0], units[pair[1]], dtype=torch.float64)
        if g is not None:
            g_abs = _units(g, "sum")
        flow[pair] = (abs_weight(mod) * (g_abs.T @ a_abs) / max(a_abs.shape[0], 1)).numpy()
    return Profile(acts=acts_np, contrib=contrib, flow=flow)


def taylor(contrib: np.ndarray, units: Sequence[int]) -> float:
    """| E_n[ sum_{i in units} a_ni * dL/da_ni ] | from a profile's ``contrib`` (n, m)."""
    if not len(units):
        return 0.0
    return float(abs(contrib[:, list(units)].sum(axis=1).mean()))


def block_shares(matrix: np.ndarray, rows: Sequence[int], cols: Sequence[int]) -> float:
    """sum of ``matrix[rows][:, cols]`` / sum of ``matrix`` (0 for an empty block or matrix)."""
    total = float(matrix.sum())
    if total <= 0 or not len(rows) or not len(cols):
        return 0.0
    return float(matrix[np.ix_(list(rows), list(cols))].sum()) / total
