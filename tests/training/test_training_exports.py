"""The engines' curated public surface: every name in ``__all__`` exists, nothing is left out."""

from __future__ import annotations

import pytest

import neuralscope.monitor
import neuralscope.training


@pytest.mark.parametrize("package", [neuralscope.training, neuralscope.monitor])
def test_all_names_resolve(package: object) -> None:
    names: list[str] = package.__all__  # type: ignore[attr-defined]
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(package, name) is not None


def test_training_exports_the_engine() -> None:
    assert set(neuralscope.training.__all__) >= {
        "Session",
        "SessionConfig",
        "Hyperparameters",
        "HyperparameterUpdate",
        "OptimizerName",
        "StepResult",
        "Evaluation",
        "IllegalTransition",
        "ProbeConfig",
        "SessionProbes",
        "decision_grid",
        "boundary_payload",
    }


def test_monitor_does_not_import_training() -> None:
    import ast
    from pathlib import Path

    for path in Path(neuralscope.monitor.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not any(m.startswith("neuralscope.training") for m in imported), path
