"""Example and synthetic inputs when the caller gives none (shapes from the first layer)."""

from __future__ import annotations

import contextlib

import torch
from torch import nn

from neuralscope.analysis.config import AnalysisConfig


def example_for(module: nn.Module) -> torch.Tensor | None:
    """A one-sample input guessed from the first parametric layer, or None."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            return torch.randn(1, m.in_features)
        if isinstance(m, nn.Conv2d):
            return torch.randn(1, m.in_channels, 32, 32)
        if isinstance(m, nn.Conv1d):
            return torch.randn(1, m.in_channels, 64)
        if isinstance(m, nn.Embedding):
            return torch.randint(0, m.num_embeddings, (1, 16))
        if isinstance(m, nn.RNNBase):
            return torch.randn(1, 16, m.input_size) if m.batch_first else None
        if isinstance(m, nn.MultiheadAttention | nn.TransformerEncoderLayer):
            return None
    return None


def synthetic_like(example: torch.Tensor, cfg: AnalysisConfig) -> torch.Tensor:
    """N(0,1) (or random ids below the example's max) with the example's per-sample shape."""
    gen = torch.Generator().manual_seed(0)
    shape = (cfg.synthetic_batch, *example.shape[1:])
    if example.is_floating_point():
        return torch.randn(shape, generator=gen, dtype=example.dtype)
    high = int(example.max()) + 1 if example.numel() else 2
    return torch.randint(0, max(high, 2), shape, generator=gen)


def eval_mode(module: nn.Module) -> nn.Module:
    """Switch to eval mode where the module allows it (torch.export modules refuse ``eval()``)."""
    with contextlib.suppress(NotImplementedError):
        module.eval()
    return module


def fixed_batch_config(
    module: nn.Module, example: torch.Tensor, cfg: AnalysisConfig
) -> tuple[AnalysisConfig, str | None]:
    """Models exported with a static batch size only accept the example's batch: adapt."""
    try:
        with torch.no_grad():
            module(synthetic_like(example, cfg))
        return cfg, None
    except Exception:  # any guard or shape error means: batch size is fixed
        b = int(example.shape[0])
        fixed = cfg.model_copy(
            update={"synthetic_batch": b, "latency_batches": (b,), "activation_batch": b}
        )
        return fixed, f"the model only accepts batch size {b}: probes and latency use it"
