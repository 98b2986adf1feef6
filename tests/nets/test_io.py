"""Safe loading: every format round-trips; malicious, truncated and empty files are refused."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper
from safetensors.torch import save_file
from torch import nn

from neuralscope.nets.io import (
    CorruptModelError,
    EmptyModelError,
    UnsafePickleError,
    UnsupportedFormatError,
    infer_layers,
    load_model,
)


def _mlp() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))


def _assert_same(state: dict[str, torch.Tensor], ref: dict[str, torch.Tensor]) -> None:
    assert set(state) == set(ref)
    for k, v in ref.items():
        assert torch.equal(state[k], v)


def test_safetensors_round_trip(tmp_path: Path) -> None:
    ref = _mlp().state_dict()
    save_file(dict(ref), tmp_path / "m.safetensors")
    loaded = load_model(tmp_path / "m.safetensors")
    assert loaded.format == "safetensors"
    assert loaded.module is None
    _assert_same(loaded.state, dict(ref))
    assert any("inferred" in n for n in loaded.notes)
    assert {layer.kind for layer in loaded.layers} == {"linear"}


@pytest.mark.parametrize("wrap", [None, "state_dict", "model"])
def test_state_dict_and_checkpoints(tmp_path: Path, wrap: str | None) -> None:
    ref = dict(_mlp().state_dict())
    obj: object = ref if wrap is None else {wrap: ref, "epoch": 3, "optimizer": {"lr": 0.1}}
    torch.save(obj, tmp_path / "m.pt")
    loaded = load_model(tmp_path / "m.pt")
    assert loaded.format == "torch"
    _assert_same(loaded.state, ref)


@pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")
def test_torchscript_and_export(tmp_path: Path) -> None:
    model = _mlp().eval()
    torch.jit.save(torch.jit.script(model), tmp_path / "s.pt")
    ts = load_model(tmp_path / "s.pt")
    assert ts.format == "torchscript"
    assert ts.module is not None
    x = torch.randn(3, 4)
    assert torch.allclose(ts.module(x), model(x))
    torch.export.save(torch.export.export(model, (x,)), tmp_path / "e.pt2")
    ex = load_model(tmp_path / "e.pt2")
    assert ex.format == "torch.export"
    assert ex.module is not None
    assert torch.allclose(ex.module(x), model(x))
    assert any("addmm" in op or "linear" in op for op in ex.graph_ops)


def test_onnx_initializers_and_ops(tmp_path: Path) -> None:
    w = torch.randn(4, 3).numpy()
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "fc.weight"], ["y"]),
            helper.make_node("Relu", ["y"], ["z"]),
        ],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 3])],
        initializer=[numpy_helper.from_array(w, "fc.weight")],
    )
    onnx.save(helper.make_model(graph), tmp_path / "m.onnx")
    loaded = load_model(tmp_path / "m.onnx")
    assert loaded.graph_ops == ["MatMul", "Relu"]
    assert torch.equal(loaded.state["fc.weight"], torch.from_numpy(w))
    (tmp_path / "bad.onnx").write_bytes(b"\x08\x07garbage")
    with pytest.raises(CorruptModelError):
        load_model(tmp_path / "bad.onnx")


class _Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("zipped", [True, False])
def test_malicious_pickle_is_refused_and_never_runs(tmp_path: Path, zipped: bool) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    if zipped:
        torch.save({"weight": torch.zeros(2), "x": _Evil(str(marker))}, path)
    else:
        path.write_bytes(pickle.dumps(_Evil(str(marker)), protocol=2))
    with pytest.raises(UnsafePickleError, match="refused"):
        load_model(path)
    assert not marker.exists()
    # the planted payload is real: an unsafe load would have created the marker
    pickle.loads(path.read_bytes()) if not zipped else torch.load(path, weights_only=False)
    assert marker.exists()


def test_truncated_empty_and_unknown_files(tmp_path: Path) -> None:
    ref = dict(_mlp().state_dict())
    save_file(ref, tmp_path / "m.safetensors")
    torch.save(ref, tmp_path / "m.pt")
    for name in ("m.safetensors", "m.pt"):
        data = (tmp_path / name).read_bytes()
        (tmp_path / f"cut_{name}").write_bytes(data[: len(data) // 2])
        with pytest.raises(CorruptModelError):
            load_model(tmp_path / f"cut_{name}")
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(EmptyModelError):
        load_model(tmp_path / "empty.pt")
    torch.save({}, tmp_path / "nothing.pt")
    with pytest.raises(EmptyModelError):
        load_model(tmp_path / "nothing.pt")
    (tmp_path / "x.bin").write_bytes(b"hello world, not a model")
    with pytest.raises(UnsupportedFormatError):
        load_model(tmp_path / "x.bin")


def test_layer_roles_inferred_from_names_and_shapes() -> None:
    d = 8
    state = {
        "tok_embeddings.weight": torch.zeros(100, d),
        "layers.0.attn.q_proj.weight": torch.zeros(d, d),
        "layers.0.attn.k_proj.weight": torch.zeros(d, d),
        "layers.0.attn.v_proj.weight": torch.zeros(d, d),
        "layers.0.attn.out_proj.weight": torch.zeros(d, d),
        "layers.0.norm1.weight": torch.ones(d),
        "layers.0.norm1.bias": torch.zeros(d),
        "conv.weight": torch.zeros(4, 3, 3, 3),
        "rnn.weight_ih_l0": torch.zeros(4 * 5, 3),
        "rnn.weight_hh_l0": torch.zeros(4 * 5, 5),
        "gru.weight_ih_l0": torch.zeros(3 * 5, 3),
        "gru.weight_hh_l0": torch.zeros(3 * 5, 5),
    }
    got = {x.name: (x.kind, x.role) for x in infer_layers(state)}
    assert got == {
        "tok_embeddings": ("embedding", "embedding"),
        "layers.0.attn.q_proj": ("linear", "attention_q"),
        "layers.0.attn.k_proj": ("linear", "attention_k"),
        "layers.0.attn.v_proj": ("linear", "attention_v"),
        "layers.0.attn.out_proj": ("linear", "attention_out"),
        "layers.0.norm1": ("norm", "norm"),
        "conv": ("conv2d", None),
        "rnn": ("lstm", "lstm_gates(i,f,g,o)"),
        "gru": ("gru", "gru_gates(r,z,n)"),
    }
