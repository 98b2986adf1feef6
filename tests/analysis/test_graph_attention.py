"""Attention in a TorchScript or ``torch.export`` file is read from its graph, not only from
layer names: a self-attention block whose layers are called ``a``, ``b``, ``c``, ``o`` (no name
says attention) is counted once per block, as the fx analysis of the same ``nn.Module`` counts
it (the oracle), and so are ``scaled_dot_product_attention`` and ``MultiheadAttention``. A model
without attention gets none."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from tests.analysis._models import mlp, resnet
from torch import nn

from neuralscope.analysis import analyze

pytestmark = [
    pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning"),
    # MultiheadAttention's checks read tensors as Python bools while it is traced
    pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning"),
]


class _Mixer(nn.Module):
    def __init__(self, d: int = 16) -> None:
        super().__init__()
        self.a, self.b, self.c, self.o = (nn.Linear(d, d) for _ in range(4))
        self.scale = 1 / math.sqrt(d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scores = self.a(x) @ self.b(x).transpose(-2, -1) * self.scale
        out: torch.Tensor = self.o(torch.softmax(scores, dim=-1) @ self.c(x))
        return out


class _TwoMixers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.m1, self.m2 = _Mixer(), _Mixer()
        self.head = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.head(self.m2(self.m1(x) + x))
        return out


class _Sdpa(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.p = nn.Linear(16, 48)
        self.head = nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self.p(x).chunk(3, dim=-1)
        out: torch.Tensor = self.head(nn.functional.scaled_dot_product_attention(q, k, v))
        return out


class _Mha(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.att = nn.MultiheadAttention(16, 2, batch_first=True)
        self.head = nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.head(self.att(x, x, x)[0])
        return out


def _files(model: nn.Module, x: torch.Tensor, tmp_path: Path) -> dict[str, Path]:
    model.eval()
    script, program = tmp_path / "model.ts.pt", tmp_path / "model.pt2"
    torch.jit.save(torch.jit.trace(model, (x,), check_trace=False), str(script))
    torch.export.save(torch.export.export(model, (x,)), str(program))
    return {"torchscript": script, "torch.export": program}


@pytest.mark.slow  # torch.export and TorchScript of three models: ~4 s
@pytest.mark.parametrize(
    ("make", "blocks"), [(_TwoMixers, 2), (_Sdpa, 1), (_Mha, 1)], ids=["mixers", "sdpa", "mha"]
)
def test_attention_is_read_from_the_file_graph(
    make: type[nn.Module], blocks: int, tmp_path: Path
) -> None:
    torch.manual_seed(0)
    model, x = make(), torch.randn(2, 5, 16)
    oracle = analyze(model, example_input=x).architecture  # fx on the nn.Module
    assert oracle.patterns["attention"] == blocks
    for method, path in _files(model, x, tmp_path).items():
        arch = analyze(path, example_input=x).architecture
        assert arch.patterns["attention"] == blocks, (method, arch.method)
        assert "Transformer" in arch.types
        assert "MLP" not in arch.types


def test_no_attention_where_there_is_none(tmp_path: Path) -> None:
    for model, x in ((mlp(), torch.randn(2, 32)), (resnet(), torch.randn(1, 3, 16, 16))):
        model.eval()
        path = tmp_path / "model.ts.pt"
        torch.jit.save(torch.jit.trace(model, (x,)), str(path))
        arch = analyze(path, example_input=x).architecture
        assert arch.method == "torchscript"
        assert arch.patterns["attention"] == 0
        assert "Transformer" not in arch.types
