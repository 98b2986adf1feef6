"""Connection strength by gradient flow, and the Taylor proxy between evaluations."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from tests.decomposition.planted import MaskedLinear
from torch import nn

from neuralscope.decomposition import DecomposeConfig, decompose
from neuralscope.decomposition.flow import between_module, profile, taylor

D, W1, W2 = 4, 8, 8  # input half, layer-1 block, layer-2 block


def _wired(gain_b: float = 3.0) -> nn.Sequential:
    """Input halves A|B -> layer 1 blocks A1|B1 -> layer 2 blocks A2|B2 -> 2 logits read
    from A2 only. B1->B2 weights are ``gain_b`` times larger than A1->A2's, but B2 feeds
    nothing, so no loss gradient flows through B1->B2."""
    torch.manual_seed(0)
    first = MaskedLinear(torch.block_diag(torch.ones(W1, D), torch.ones(W1, D)))
    second = MaskedLinear(torch.block_diag(torch.ones(W2, W1), torch.ones(W2, W1)))
    head_mask = torch.zeros(2, 2 * W2)
    head_mask[:, :W2] = 1.0
    head = MaskedLinear(head_mask)
    with torch.no_grad():
        second.weight[W2:, W1:] *= gain_b
    return nn.Sequential(first, nn.ReLU(), second, nn.ReLU(), head)


def _data(n: int = 2000) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(n, 2 * D, generator=gen)
    return x, (x[:, 0] * x[:, 1] > 0).long()  # a task on input half A only


def test_gradient_flow_finds_the_wiring_that_carries_the_loss() -> None:
    model = _wired()
    x, y = _data()
    result = decompose(model, x, y, layer=["1", "3"], config=DecomposeConfig(metrics=False))
    first, second = result.layer("1"), result.layer("3")
    assert [sorted(m.units) for m in first.modules] == [list(range(W1)), list(range(W1, 2 * W1))]
    assert [sorted(m.units) for m in second.modules] == [list(range(W2)), list(range(W2, 2 * W2))]
    a1, b1 = (m.id for m in first.modules)
    a2, b2 = (m.id for m in second.modules)
    weight = {(c.source, c.target): c.strength for c in result.connections}
    flow = {(c.source, c.target): c.gradient_flow for c in result.connections}
    # |W| sees the planted wiring (no cross edges) but ranks the idle B1->B2 wiring first
    assert weight[(a1, b2)] == weight[(b1, a2)] == 0.0
    assert weight[(b1, b2)] > weight[(a1, a2)] > 0.1
    # gradient flow ranks A1->A2 first: it is the only wiring the loss flows through
    assert flow[(a1, a2)] == pytest.approx(1.0)
    assert flow[(b1, b2)] == flow[(a1, b2)] == flow[(b1, a2)] == 0.0


def test_gradient_flow_matches_the_per_sample_definition() -> None:
    """F_ji = E_n|dL/dz_nj W_ji a_ni|, computed naively per sample and edge (the oracle)."""
    model = _wired(gain_b=1.0)
    with torch.no_grad():
        model[4].mask.fill_(1.0)  # every layer-2 unit feeds the head: gradients everywhere
    x, y = _data(64)
    prof = profile(model, ["1", "3"], x, y, {"1": 2 * W1, "3": 2 * W2})
    a = torch.relu(model[0](x)).detach()
    z = model[2](a.requires_grad_(False)).detach().requires_grad_(True)
    loss = nn.functional.cross_entropy(model[4](torch.relu(z)), y)
    (g,) = torch.autograd.grad(loss, z)
    w = (model[2].weight * model[2].mask).detach()
    naive = (g[:, :, None] * w[None] * a[:, None, :]).abs().mean(dim=0).double().numpy()
    assert prof.flow[("1", "3")] == pytest.approx(naive, rel=1e-6, abs=1e-12)
    assert between_module(model, "1", "3", 2 * W1, 2 * W2) is model[2]


def test_taylor_proxy_ranks_the_important_module_first_before_convergence() -> None:
    """Module A feeds the head with weights 100x module B's: A is the important one. After a
    few steps (far from converged) the Taylor proxy ranks it first, as ablation does."""
    model = _wired(gain_b=1.0)
    with torch.no_grad():
        model[4].mask.fill_(1.0)
        model[4].weight[:, W2:] *= 0.01  # B2 barely reaches the output
    x, y = _data()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(5):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    assert nn.functional.cross_entropy(model(x), y).item() > 0.5  # not converged
    result = decompose(model, x, y, layer="3", config=DecomposeConfig(random_sets=50))
    mods = result.layer("3").modules
    assert len(mods) == 2
    by_taylor = max(mods, key=lambda m: m.taylor or 0.0)
    assert sorted(by_taylor.units) == list(range(W2))  # module A2
    assert all(m.metrics is not None for m in mods)
    by_ablation = max(mods, key=lambda m: m.metrics.importance.share if m.metrics else 0.0)
    assert by_ablation.id == by_taylor.id
    for m in mods:  # the proxy is carried next to the ablation, never instead of it
        assert m.metrics is not None
        assert m.metrics.importance.taylor_proxy == m.taylor
    prof = profile(model, ["3"], x, y, {"3": 2 * W2})
    assert taylor(prof.contrib["3"], by_taylor.units) == pytest.approx(by_taylor.taylor)
    assert taylor(prof.contrib["3"], []) == 0.0
    assert np.isfinite(prof.contrib["3"]).all()


def test_module_summary_is_json_for_a_search_trial() -> None:
    import json

    from neuralscope.decomposition.summary import module_summary

    model = _wired(gain_b=1.0)
    x, y = _data(1000)
    summary = module_summary(model, x, y, config=DecomposeConfig(random_sets=20))
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary
    layers = summary["layers"]
    assert isinstance(layers, list)
    assert [entry["layer"] for entry in layers if isinstance(entry, dict)] == ["1", "3"]
    assert [entry["modules"] for entry in layers if isinstance(entry, dict)] == [2, 2]
    modules = summary["modules"]
    assert isinstance(modules, list)
    assert len(modules) == 4
    assert all(isinstance(m, dict) and m["importance"] is not None for m in modules)
    assert module_summary(model, x, layers=[]) == {
        "layers": [],
        "modules": [],
        "findings": [],
    }
