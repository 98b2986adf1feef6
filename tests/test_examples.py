"""Every script in examples/ runs and does what its docstring says (CI runs them here).

examples/mnist_mlp.py is exercised with its report in tests/report/test_report.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_playground_example_learns_the_spirals_and_exports(tmp_path: Path) -> None:
    accuracy = _load("playground_spirals").main(["--out", str(tmp_path)])
    assert accuracy > 0.85
    assert (tmp_path / "model.safetensors").stat().st_size > 0
    assert '"spec"' in (tmp_path / "spec.json").read_text()


@pytest.mark.slow
def test_analytics_example_finds_exactly_the_planted_dead_units(tmp_path: Path) -> None:
    codes = _load("analyze_models").main(["--out", str(tmp_path)])
    assert "dead16:dead_units:0" in codes
    assert not [c for c in codes if c.startswith("healthy:")]


@pytest.mark.slow
def test_decompose_example_recovers_the_two_wired_modules() -> None:
    result = _load("decompose_two_tasks").main([])
    layer = result.layers[0]
    assert layer.significant
    blocks = sorted((set(m.units) for m in layer.modules), key=min)
    assert len(blocks) == 2
    assert blocks[0] <= set(range(16))
    assert blocks[1] <= set(range(16, 32))
    for module in layer.modules:
        assert module.metrics is not None
        keep = [s.accuracy for s in module.metrics.keep_only]
        assert max(keep) > 0.9
        assert min(keep) < 0.6


@pytest.mark.slow
def test_search_example_finds_a_healthy_accurate_model(tmp_path: Path) -> None:
    best = _load("search_digits").main(["--trials", "3", "--epochs", "3", "--home", str(tmp_path)])
    # One worker with the example's sampler seed (0): the same three trials on every run (best:
    # 0.938 accuracy, health 95.2 when written). Unseeded, three random draws of 3 epochs can
    # all fail to learn (seen in CI: health 0-3, every one gated at chance accuracy).
    assert best.val_accuracy > 0.8
    assert best.health > 80
    trial_dirs = list((tmp_path / "search" / "digits-example").glob("trial-*"))
    assert trial_dirs
    assert (trial_dirs[0] / "model.onnx").is_file()
