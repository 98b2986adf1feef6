"""Probes that read a running model (any ``nn.Module``) and produce event payloads."""

from neuralscope.monitor.modes import evaluating
from neuralscope.monitor.probes import gradient_norms, layer_stats

__all__ = ["evaluating", "gradient_norms", "layer_stats"]
