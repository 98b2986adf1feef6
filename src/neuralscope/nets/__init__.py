"""Architecture spec -> nn.Module."""

from neuralscope.nets.build import build_model, hidden_layer_names
from neuralscope.nets.spec import Activation, DenseLayer, NetSpec

__all__ = ["Activation", "DenseLayer", "NetSpec", "build_model", "hidden_layer_names"]
