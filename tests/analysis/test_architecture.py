"""Architecture type and patterns (SCIENCE.md section 3) on constructions with known answers."""

from __future__ import annotations

import torch
from tests.analysis._models import cnn, mlp
from torch import nn

from neuralscope.analysis import analyze
from neuralscope.analysis.architecture import analyze_architecture, architecture_from_layers
from neuralscope.findings import Severity
from neuralscope.nets.io import infer_layers


class _Bottleneck(nn.Module):
    def __init__(self, c: int = 64, inner: int = 16) -> None:
        super().__init__()
        self.a, self.b = nn.Conv2d(c, inner, 1), nn.Conv2d(inner, inner, 3, padding=1)
        self.c = nn.Conv2d(inner, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.c(torch.relu(self.b(torch.relu(self.a(x)))))


class _Attention(nn.Module):
    def __init__(self, d: int = 16) -> None:
        super().__init__()
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.ff1, self.ff2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scores = self.q(x) @ self.k(x).transpose(-1, -2) / 4.0
        x = x + torch.softmax(scores, dim=-1) @ self.v(x)
        return x + self.ff2(torch.relu(self.ff1(x)))  # 4x FFN: residual, not a bottleneck


class _LSTMNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb, self.lstm, self.fc = (
            nn.Embedding(100, 16),
            nn.LSTM(16, 32, batch_first=True),
            nn.Linear(32, 5),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.lstm(self.emb(x))[0][:, -1])


def test_types_and_patterns() -> None:
    resnet = nn.Sequential(nn.Conv2d(3, 64, 3), _Bottleneck(), _Bottleneck(), _Bottleneck())
    enc = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(32, 4, 64, batch_first=True), 3, enable_nested_tensor=False
    )
    got = {
        name: analyze_architecture(m)
        for name, m in [
            ("mlp", mlp()),
            ("cnn", cnn()),
            ("resnet", resnet),
            ("attn", _Attention()),
            ("lstm", _LSTMNet()),
            ("enc", enc),
        ]
    }
    assert {k: r.types for k, r in got.items()} == {
        "mlp": ["MLP"],
        "cnn": ["CNN"],
        "resnet": ["CNN"],
        "attn": ["Transformer"],
        "lstm": ["RNN"],
        "enc": ["Transformer"],
    }
    assert got["resnet"].patterns["residual"] == 3
    assert got["resnet"].patterns["bottleneck"] == 3
    assert got["attn"].patterns == {"residual": 2, "bottleneck": 0, "attention": 1, "branches": 0}
    assert got["enc"].patterns["attention"] == 3
    assert got["enc"].patterns["residual"] == 6
    assert got["mlp"].patterns["residual"] == 0
    hybrid = nn.Sequential(
        nn.Conv1d(4, 8, 3),
        nn.Flatten(1),
        nn.Unflatten(1, (8, 6)),
        nn.MultiheadAttention(6, 2, batch_first=True),
    )
    assert analyze_architecture(hybrid).primary == "hybrid"
    graph = got["mlp"]
    assert graph.method == "fx"
    assert len(graph.edges) == len(graph.nodes) - 1


def test_type_from_weights_only() -> None:
    state = {f"layers.0.attn.{p}.weight": torch.zeros(8, 8) for p in ("q_proj", "k_proj")}
    assert architecture_from_layers(infer_layers(state)).types == ["Transformer"]
    lstm = {k: v for k, v in nn.LSTM(3, 5).state_dict().items()}
    assert architecture_from_layers(
        infer_layers({f"rnn.{k}": v for k, v in lstm.items()})
    ).types == ["RNN"]


def test_lstm_and_attention_models_raise_no_false_alarm() -> None:
    torch.manual_seed(0)
    for model, x in (
        (_LSTMNet(), torch.randint(0, 100, (1, 7))),
        (_Attention(), torch.randn(1, 5, 16)),
    ):
        report = analyze(model, example_input=x)
        assert [f for f in report.findings if f.severity != Severity.INFO] == []
