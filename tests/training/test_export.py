"""Exports rebuild the same model: safetensors + snippet in a fresh namespace, and ONNX."""

from __future__ import annotations

import onnx
import pytest
import torch
from safetensors.torch import load

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.training import Session, SessionConfig
from neuralscope.training.export import export_spec, pytorch_snippet, to_onnx, to_safetensors

CNN = NetSpec.model_validate(
    {
        "layers": [
            {"type": "conv2d", "filters": 3, "padding": "same"},
            {"type": "maxpool2d"},
            {"type": "batchnorm"},
            {"type": "flatten"},
            {"type": "dropout", "p": 0.3},
            {"units": 8, "activation": "gelu"},
        ]
    }
)
XOR = DataConfig(dataset="xor", features=["x1_x2", "sin_x2"])
CONFIGS = [
    SessionConfig(spec=NetSpec.mlp([5, 4], "relu"), data=XOR),
    SessionConfig(spec=CNN, data=DataConfig(dataset="digits", n_samples=100)),
]


def _trained(config: SessionConfig) -> Session:
    session = Session(config)
    session.start()
    for _ in range(5):  # moves weights and BatchNorm running statistics
        session.step()
    return session


@pytest.mark.parametrize("config", CONFIGS, ids=["mlp-features", "cnn"])
def test_snippet_and_safetensors_rebuild_identical_outputs(config: SessionConfig) -> None:
    session = _trained(config)
    namespace: dict[str, object] = {}
    exec(compile(pytorch_snippet(session.model), "model.py", "exec"), namespace)
    rebuilt = namespace["build"]()  # type: ignore[operator]
    rebuilt.load_state_dict(load(to_safetensors(session.model)))
    rebuilt.eval()
    session.model.eval()
    x = session.dataset.x_val[:16]
    assert torch.equal(rebuilt(x), session.model(x))


def test_export_spec_is_the_api_json() -> None:
    spec = export_spec(CNN, DataConfig(dataset="digits"))
    assert spec.input_shape == [1, 8, 8]
    assert spec.output_width == 10
    assert SessionConfig.model_validate(
        {"spec": spec.spec.model_dump(), "data": spec.data.model_dump()}
    )


@pytest.mark.slow
def test_onnx_passes_the_checker_and_runs_the_same() -> None:
    import onnxruntime as ort

    session = _trained(CONFIGS[1])
    raw = to_onnx(session.model, (1, 8, 8))
    onnx.checker.check_model(onnx.load_from_string(raw))
    assert session.model.training  # the export restored the mode
    x = session.dataset.x_val[:7]
    session.model.eval()
    expected = session.model(x).detach().numpy()
    (got,) = ort.InferenceSession(raw).run(None, {"input": x.numpy()})
    assert got.shape == (7, 10)
    torch.testing.assert_close(
        torch.as_tensor(got), torch.as_tensor(expected), atol=1e-5, rtol=1e-4
    )
