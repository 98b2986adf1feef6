"""A finished trial's files load back into the same model, and config.json reproduces it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime
import pytest
import torch
from safetensors.torch import load_file
from tests.search.helpers import tiny_study

from neuralscope.search import rerun_trial
from neuralscope.search.architecture import example_input
from neuralscope.search.artifacts import trial_dir, write_artifacts
from neuralscope.search.contract import ARTIFACT_FILES
from neuralscope.search.experiment import TrialConfig, load_data, train_trial
from neuralscope.search.models import ModelSpec, build_model


@pytest.mark.slow
def test_artifacts_round_trip_and_rerun_reproduces_accuracy(tmp_path: Path) -> None:
    study = tiny_study("r", max_epochs=2)
    data = load_data(study, tmp_path / "datasets")
    config = TrialConfig(
        study=study, trial_number=7, family="cnn",
        params={"filters": 6, "learning_rate": 0.01, "batch_size": 16, "dropout": 0.2}, epochs=2,
        seed=123,
    )  # fmt: skip
    result = train_trial(config, data)
    directory = trial_dir(tmp_path, "r", 7)
    config = config.model_copy(update={"val_accuracy": result.metrics.val_accuracy})
    write_artifacts(directory, result.model, result.spec, config)

    x = torch.from_numpy(data.x_val[:32])
    expected = result.model.eval()(x).detach()
    spec = ModelSpec.model_validate_json((directory / ARTIFACT_FILES["spec"]).read_text())
    rebuilt = build_model(spec)
    rebuilt.load_state_dict(load_file(str(directory / ARTIFACT_FILES["safetensors"])))
    torch.testing.assert_close(rebuilt.eval()(x), expected)
    with pytest.warns(
        DeprecationWarning, match=r"torch\.jit\.load"
    ):  # torch 2.13 deprecates TorchScript; it still loads
        scripted = torch.jit.load(str(directory / ARTIFACT_FILES["torchscript"]))
    torch.testing.assert_close(scripted(x), expected)
    session = onnxruntime.InferenceSession(str(directory / ARTIFACT_FILES["onnx"]))
    (onnx_out,) = session.run(None, {"input": x.numpy()})
    np.testing.assert_allclose(onnx_out, expected.numpy(), rtol=1e-4, atol=1e-5)
    assert example_input(spec).shape == (2, 1, 8, 8)

    again = rerun_trial(directory / ARTIFACT_FILES["config"], tmp_path / "datasets")
    assert abs(again.metrics.val_accuracy - result.metrics.val_accuracy) * 100 <= 0.5
