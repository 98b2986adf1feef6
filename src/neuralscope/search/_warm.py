"""Imported by the worker's fork server: pay once for what every trial process would pay again.

The first TorchScript trace and ONNX export in a process import and initialise their machinery
(~3.5 s on a quiet 2-core box, measured; many times that under load); trial processes forked
afterwards inherit it warm. torch runs on one thread here, so no OpenMP pool exists at fork.
"""

from __future__ import annotations

import io
import warnings

import scipy.stats  # noqa: F401  # the consistency metric's chi-square test
import torch
from torch import nn

import neuralscope.data.catalog
import neuralscope.search.objective  # noqa: F401

torch.set_num_threads(1)


def _warm() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU()).eval()
    example = torch.zeros(1, 2)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.jit.trace(model, example)  # type: ignore[no-untyped-call]
        torch.onnx.export(model, (example,), io.BytesIO(), dynamo=False)  # type: ignore[arg-type]


_warm()
