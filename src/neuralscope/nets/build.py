"""Spec -> ``nn.Module``.

Layers get stable, readable qualified names (``dense1``, ``act1``, ..., ``output``): these are
the names every event, report and URL uses.
"""

from __future__ import annotations

from collections import OrderedDict

from torch import nn

from neuralscope.nets.spec import Activation, NetSpec

_ACTIVATIONS: dict[Activation, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "linear": nn.Identity,
    "gelu": nn.GELU,
}


def build_model(spec: NetSpec, in_features: int, out_features: int) -> nn.Sequential:
    """Build the network: hidden dense layers from ``spec``, then a linear output layer.

    The output layer emits logits (classification) or values (regression); the loss applies
    sigmoid/softmax, so the model never does.
    """
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    width = in_features
    for i, layer in enumerate(spec.layers, start=1):
        modules[f"dense{i}"] = nn.Linear(width, layer.units)
        modules[f"act{i}"] = _ACTIVATIONS[layer.activation]()
        width = layer.units
    modules["output"] = nn.Linear(width, out_features)
    return nn.Sequential(modules)


def hidden_layer_names(spec: NetSpec) -> list[str]:
    """Qualified names of the activation modules whose outputs the probes watch."""
    return [f"act{i}" for i in range(1, len(spec.layers) + 1)]
