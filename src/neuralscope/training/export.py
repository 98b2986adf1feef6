"""A trained model out of the Playground: safetensors weights, spec JSON, a PyTorch snippet
that rebuilds it without neuralscope, and ONNX.

* safetensors (Hugging Face's safe tensor format: no code runs on load) under the model's
  qualified parameter and buffer names (``dense1.weight``, ``bn3.running_mean``, ...);
* the spec JSON is the :class:`ExportSpec` (net spec, data config, input shape, task), the
  same JSON the API takes;
* the snippet is plain PyTorch: an ``nn.Sequential`` with the same module names, so
  ``model.load_state_dict(safetensors.torch.load_file(...))`` fits exactly;
* ONNX via ``torch.onnx.export`` (opset 18, dynamic batch axis): :func:`onnx_bytes`.

Pure: every function returns bytes or text; writing files is the caller's business.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import torch
from pydantic import BaseModel, ConfigDict
from safetensors.torch import save
from torch import nn

from neuralscope.data import DataConfig, Task, dataset_info
from neuralscope.nets import NetSpec
from neuralscope.nets.build import DerivedFeatures

_FEATURE_CODE = {
    "x1_squared": "a * a",
    "x2_squared": "b * b",
    "x1_x2": "a * b",
    "sin_x1": "torch.sin(a)",
    "sin_x2": "torch.sin(b)",
}


class ExportSpec(BaseModel):
    """Everything needed to rebuild the model: what it is and what it was trained on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec: NetSpec
    data: DataConfig
    input_shape: list[int]
    output_width: int
    task: Task
    format_version: int = 1


def export_spec(spec: NetSpec, data: DataConfig) -> ExportSpec:
    info = dataset_info(data)
    width = info.n_classes if info.task == "multiclass" else 1
    return ExportSpec(
        spec=spec,
        data=data,
        input_shape=list(info.input_shape),
        output_width=width,
        task=info.task,
    )


def to_safetensors(model: nn.Module) -> bytes:
    """The state dict (parameters and buffers) as safetensors bytes, on CPU, contiguous."""
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    return save(state, metadata={"format": "pt", "producer": "neuralscope"})


def _module_code(name: str, module: nn.Module) -> str:
    if isinstance(module, nn.Linear):
        return f"nn.Linear({module.in_features}, {module.out_features})"
    if isinstance(module, nn.Conv2d):
        pad = repr(module.padding) if isinstance(module.padding, str) else module.padding[0]
        k, s = module.kernel_size[0], module.stride[0]
        return f"nn.Conv2d({module.in_channels}, {module.out_channels}, {k}, {s}, {pad})"
    if isinstance(module, nn.MaxPool2d):
        return f"nn.MaxPool2d({module.kernel_size}, {module.stride})"
    if isinstance(module, nn.BatchNorm1d | nn.BatchNorm2d):
        return f"nn.{type(module).__name__}({module.num_features})"
    if isinstance(module, nn.Dropout):
        return f"nn.Dropout({module.p})"
    if isinstance(module, DerivedFeatures):
        return f"DerivedFeatures({list(module.names)!r})"
    if isinstance(module, nn.ReLU | nn.Tanh | nn.Sigmoid | nn.Identity | nn.GELU | nn.Flatten):
        return f"nn.{type(module).__name__}()"
    raise ValueError(f"{name}: no PyTorch code for {type(module).__name__}")


def pytorch_snippet(model: nn.Sequential, weights_file: str = "model.safetensors") -> str:
    """Python source that defines ``build()`` returning the model, and loads the weights."""
    lines = [
        '"""Rebuilds a neuralscope Playground model in plain PyTorch."""',
        "from collections import OrderedDict",
        "",
        "import torch",
        "from torch import nn",
        "",
    ]
    children: Sequence[tuple[str, nn.Module]] = list(model.named_children())
    features = [m for _, m in children if isinstance(m, DerivedFeatures)]
    if features:
        terms = ", ".join(_FEATURE_CODE[n] for n in features[0].names)
        lines += [
            "",
            "class DerivedFeatures(nn.Module):",
            '    """(N, 2) -> x1, x2, then the derived features (TF Playground\'s inputs)."""',
            "",
            "    def __init__(self, names):",
            "        super().__init__()",
            "        self.names = names",
            "",
            "    def forward(self, x):",
            "        a, b = x[:, 0:1], x[:, 1:2]",
            f"        return torch.cat([x, {terms}], dim=1)",
            "",
        ]
    lines += ["", "def build():", "    return nn.Sequential(OrderedDict(["]
    lines += [f"        ({name!r}, {_module_code(name, m)})," for name, m in children]
    lines += [
        "    ]))",
        "",
        "",
        "def load(path=" + repr(weights_file) + "):",
        "    from safetensors.torch import load_file",
        "",
        "    model = build()",
        "    model.load_state_dict(load_file(path))",
        "    return model.eval()",
        "",
    ]
    return "\n".join(lines)


def to_onnx(model: nn.Module, input_shape: Sequence[int]) -> bytes:
    """The model in eval mode as ONNX bytes (opset 18), batch axis dynamic."""
    return onnx_bytes(model, torch.zeros(2, *input_shape))


def onnx_bytes(model: nn.Module, example: torch.Tensor) -> bytes:
    """``model`` (in eval mode, restored after) as ONNX bytes, opset 18, with a dynamic batch
    axis named ``batch``; ``example`` is one input batch (token ids for text models).

    The one ONNX exporter of the project (Playground downloads, search trial artifacts).
    ``torch.onnx.export``'s TorchScript-based path goes first: its dynamo path costs 7-11 s
    per small model on a 2-core CPU (measured), more than many search trials take to train,
    and changes process-wide fx state; the dynamo path is the fallback for what tracing cannot
    export.
    """
    was_training = model.training
    model.eval()
    names = {"input_names": ["input"], "output_names": ["output"], "opset_version": 18}
    try:
        # Through a file: both exporters take a path (the dynamo program can only save to one).
        with (
            tempfile.TemporaryDirectory(prefix="neuralscope-onnx-") as tmp,
            warnings.catch_warnings(),  # the exporters' own deprecation notices
            torch.no_grad(),
        ):
            warnings.simplefilter("ignore")
            path = Path(tmp) / "model.onnx"
            try:
                torch.onnx.export(
                    model, (example,), str(path), dynamo=False,
                    dynamic_axes={"input": {0: "batch"}}, **names,  # type: ignore[arg-type]
                )  # fmt: skip
            except Exception:
                path.unlink(missing_ok=True)
                batch = torch.export.Dim("batch", min=1)
                program = torch.onnx.export(
                    model, (example,), dynamo=True, dynamic_shapes=({0: batch},),
                    verbose=False, **names,  # type: ignore[arg-type]
                )  # fmt: skip
                if program is None:  # pragma: no cover - dynamo=True returns a program
                    raise RuntimeError("torch.onnx.export returned no program") from None
                program.save(str(path))
            return path.read_bytes()
    finally:
        model.train(was_training)
