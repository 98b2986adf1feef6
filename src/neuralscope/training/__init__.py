"""The training engine: a live, steerable Session, its probes, metrics, the decision
boundary, the written-out backprop step, and model export."""

from neuralscope.training.backprop import BackpropTrace, LayerTrace, TraceUnsupported
from neuralscope.training.boundary import boundary_payload, decision_grid
from neuralscope.training.config import (
    Hyperparameters,
    HyperparameterUpdate,
    OptimizerName,
    SessionConfig,
)
from neuralscope.training.export import (
    ExportSpec,
    export_spec,
    pytorch_snippet,
    to_onnx,
    to_safetensors,
)
from neuralscope.training.metrics import (
    ClassificationMetrics,
    RegressionMetrics,
    classification_metrics,
    metric_values,
    regression_metrics,
)
from neuralscope.training.probing import ProbeConfig, SessionProbes
from neuralscope.training.session import Evaluation, IllegalTransition, Session, StepResult

__all__ = [
    "BackpropTrace",
    "ClassificationMetrics",
    "Evaluation",
    "ExportSpec",
    "HyperparameterUpdate",
    "Hyperparameters",
    "IllegalTransition",
    "LayerTrace",
    "OptimizerName",
    "ProbeConfig",
    "RegressionMetrics",
    "Session",
    "SessionConfig",
    "SessionProbes",
    "StepResult",
    "TraceUnsupported",
    "boundary_payload",
    "classification_metrics",
    "decision_grid",
    "export_spec",
    "metric_values",
    "pytorch_snippet",
    "regression_metrics",
    "to_onnx",
    "to_safetensors",
]
