"""The architecture graph of a ``torch.export`` archive is its real graph, not a chain.

A residual CNN saved with ``torch.export.save`` gives the skip edges and the residual count of
the fx analysis on the same ``nn.Module`` (the oracle), with the same layers in the same order;
a plain MLP gives exactly the chain input -> layers -> output.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import torch
from tests.analysis._models import mlp, resnet
from torch import nn

from neuralscope.analysis import analyze
from neuralscope.analysis._export_graph import export_graph


def _save(model: nn.Module, example: tuple[torch.Tensor, ...], path: Path) -> Path:
    torch.export.save(torch.export.export(model, example), str(path))
    return path


@pytest.mark.slow  # ~9 s: the first torch.export of the session warms up dynamo
def test_export_archive_graph_has_the_skip_edges_and_residuals(tmp_path: Path) -> None:
    example = torch.randn(1, 3, 16, 16)
    path = _save(resnet(), (example,), tmp_path / "resnet.pt2")
    arch = analyze(path, example_input=example).architecture
    direct = analyze(resnet(), example_input=example).architecture  # fx on the nn.Module
    assert arch.method == "torch.export"
    assert arch.types == ["CNN"]
    assert arch.patterns["residual"] == direct.patterns["residual"] == 2
    ids = {n.id for n in arch.nodes}
    assert all(e.source in ids and e.target in ids for e in arch.edges)
    assert [n.layer for n in arch.nodes if n.layer] == [n.layer for n in direct.nodes if n.layer]
    into = {t: sorted(e.source for e in arch.edges if e.target == t) for t in ("add", "add_1")}
    # the skips: stem -> first add, first block's output (its relu) -> second add
    assert into == {"add": ["0", "1_conv2"], "add_1": ["2_conv2", "relu"]}
    kinds = {n.id: n.kind for n in arch.nodes}
    assert (kinds["1_conv1"], kinds["add"]) == ("Conv2d", "add")


def test_export_archive_of_an_mlp_is_a_chain(tmp_path: Path) -> None:
    path = _save(mlp(), (torch.randn(2, 32),), tmp_path / "mlp.pt2")
    arch = analyze(path).architecture
    assert arch.method == "torch.export"
    order = ["input", *[str(i) for i in range(9)], "output"]
    assert [n.id for n in arch.nodes] == order
    assert [(e.source, e.target) for e in arch.edges] == list(itertools.pairwise(order))
    assert arch.patterns["residual"] == 0


class _Shared(nn.Module):
    """One layer called twice and a second input joined by an add."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.out = nn.Linear(8, 2)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.out(self.fc(torch.relu(self.fc(x)))) + y
        return out


def test_each_call_of_a_shared_layer_is_a_node_and_inputs_are_numbered() -> None:
    program = torch.export.export(_Shared(), (torch.randn(2, 8), torch.randn(2, 2)))
    module = program.module()
    assert isinstance(module, torch.fx.GraphModule)
    g = export_graph(module)
    assert [(i, layer) for i, _, _, _, layer in g.nodes] == [
        ("input0", None),
        ("input1", None),
        ("fc", "fc"),
        ("relu", None),
        ("fc_1", "fc"),
        ("out", "out"),
        ("add", None),
        ("output", None),
    ]
    assert sorted(g.edges) == sorted(
        [
            ("input0", "fc"),
            ("fc", "relu"),
            ("relu", "fc_1"),
            ("fc_1", "out"),
            ("out", "add"),
            ("input1", "add"),
            ("add", "output"),
        ]
    )
