"""A trial network as :class:`ArchitectureLayer` rows (input to output), for the 3-D view.

Output shapes come from one forward pass of a two-sample example with hooks on the top-level
modules; activations fold into the layer before them (its ``activation`` field); ``health`` is
the layer's share of live units (see :mod:`neuralscope.search.health`).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from neuralscope.search.contract import ArchitectureLayer
from neuralscope.search.models import ModelSpec, UnitLayer

_KINDS: list[tuple[type[nn.Module], str]] = [
    (nn.Conv2d, "conv2d"),
    (nn.MaxPool2d, "maxpool2d"),
    (nn.Flatten, "flatten"),
    (nn.Dropout, "dropout"),
    (nn.BatchNorm1d, "batchnorm"),
    (nn.BatchNorm2d, "batchnorm"),
    (nn.Embedding, "embedding"),
    (nn.LSTM, "lstm"),
    (nn.Linear, "dense"),
]


def example_input(spec: ModelSpec, batch: int = 2) -> torch.Tensor:
    """Zeros (ones for token ids: 0 is padding) of the model's input shape."""
    if spec.family == "lstm":
        return torch.ones(batch, *spec.input_shape, dtype=torch.long)
    return torch.zeros(batch, *spec.input_shape)


@torch.no_grad()
def architecture(
    model: nn.Module, spec: ModelSpec, units: Sequence[UnitLayer], live: Sequence[float]
) -> list[ArchitectureLayer]:
    shapes: dict[str, list[int]] = {}
    children = list(model.named_children())
    handles = []
    for name, module in children:

        def hook(_m: nn.Module, _i: object, out: object, name: str = name) -> None:
            tensor = out[0] if isinstance(out, tuple) else out
            assert isinstance(tensor, torch.Tensor)
            shapes[name] = list(tensor.shape[1:])

        handles.append(module.register_forward_hook(hook))
    was = model.training
    model.eval()
    try:
        model(example_input(spec))
    finally:
        model.train(was)
        for handle in handles:
            handle.remove()
    health = {u.layer: share for u, share in zip(units, live, strict=False)}
    rows = [ArchitectureLayer(kind="input", output_shape=list(spec.input_shape))]
    activation = spec.hyperparams.activation
    for name, module in children:
        kind = next((k for t, k in _KINDS if isinstance(module, t)), None)
        if kind is None:
            continue  # an activation: folded into the layer before it
        if name == "output":
            kind = "output"
        rows.append(_row(name, module, kind, shapes[name], activation, health.get(name)))
    return rows


def _row(
    name: str, module: nn.Module, kind: str, shape: list[int], activation: str, health: float | None
) -> ArchitectureLayer:
    params = sum(p.numel() for p in module.parameters())
    fields: dict[str, object] = {}
    if isinstance(module, nn.Conv2d):
        kernel = module.kernel_size
        fields = {
            "filters": module.out_channels,
            "kernel_size": kernel[0],
            "activation": activation,
        }
    elif isinstance(module, nn.LSTM):
        fields = {"units": module.hidden_size, "bidirectional": module.bidirectional}
    elif isinstance(module, nn.Embedding):
        fields = {"units": module.embedding_dim}
    elif isinstance(module, nn.Linear):
        fields = {"units": module.out_features}
        if kind == "dense":
            fields["activation"] = activation
    return ArchitectureLayer.model_validate(
        {"kind": kind, "output_shape": shape, "params": params, "health": health, **fields}
    )
