"""Decomposition of a model on CUDA: metrics, gradient flow, what-ifs and the live stream.

Runs only where CUDA is available (``-m gpu``); on CPU-only machines it is skipped, not faked.
(Checked by hand on an H100: the planted blocks, redundant/uninformative alerts and both
what-ifs, as below.)
"""

from __future__ import annotations

import pytest
import torch
from tests.decomposition.planted import idle_data, idle_module_net, two_task_loss

from neuralscope.decomposition import Prune, Reinitialize, decompose, what_if
from neuralscope.decomposition.stream import ModuleStream

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA"),
]


def test_a_cuda_model_is_decomposed_scored_and_previewed() -> None:
    dev = torch.device("cuda")
    torch.manual_seed(0)
    data = idle_data(1000, 4, 0)
    net = idle_module_net().to(dev)
    x, y = data.train_x.to(dev), data.train_y.to(dev)
    opt = torch.optim.Adam(net.parameters(), lr=0.02)
    for _ in range(300):
        opt.zero_grad()
        two_task_loss(net(x), y).backward()
        opt.step()
    tx, ty = data.test_x.to(dev), data.test_y.to(dev)
    result = decompose(net, tx, ty, layer="1")
    assert [len(m.units) for m in result.modules] == [16, 16, 16]
    assert {"redundant_module", "uninformative_module"} <= {f.code for f in result.findings}
    idle = result.modules[-1]
    for intervention in (Prune(), Reinitialize()):
        preview = what_if(net, idle, intervention, tx, ty)
        assert preview.accuracy_after == preview.accuracy_before
    stream = ModuleStream("run", ["1"], tx, ty)
    events = stream.after_step(300, net, 0.0, final=True)
    assert events[0].kind == "modules"
