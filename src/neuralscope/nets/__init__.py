"""Architecture spec -> nn.Module, with shape inference."""

from neuralscope.nets.build import DerivedFeatures, build_model, dropout_names, hidden_layer_names
from neuralscope.nets.shapes import LayerShape, SpecError, infer_shapes, shape_report
from neuralscope.nets.spec import (
    Activation,
    BatchNormLayer,
    Conv2DLayer,
    DenseLayer,
    DropoutLayer,
    FlattenLayer,
    Layer,
    LayerType,
    MaxPool2DLayer,
    NetSpec,
)

__all__ = [
    "Activation",
    "BatchNormLayer",
    "Conv2DLayer",
    "DenseLayer",
    "DerivedFeatures",
    "DropoutLayer",
    "FlattenLayer",
    "Layer",
    "LayerShape",
    "LayerType",
    "MaxPool2DLayer",
    "NetSpec",
    "SpecError",
    "build_model",
    "dropout_names",
    "hidden_layer_names",
    "infer_shapes",
    "shape_report",
]
