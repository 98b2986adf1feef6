"""watch() with a model moved to CUDA: same training, no hooks left, every signal recorded.

Runs only where CUDA is available (``-m gpu``); on CPU-only machines it is skipped, not faked.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import torch
from tests.watch.helpers import Digits, Nested, digits, train

from neuralscope import Settings, WatchConfig, watch
from neuralscope.events import EventKind, RunStatus
from neuralscope.store import Store

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA"),
]


def _on(device: str, data: Digits) -> Digits:
    return Digits(*(t.to(device) for t in (data.x_train, data.y_train, data.x_val, data.y_val)))


def test_a_cuda_model_is_watched_without_being_touched(tmp_path: Path) -> None:
    data = _on("cuda", digits(n_train=512))
    torch.manual_seed(3)
    bare = Nested().cuda()
    watched = copy.deepcopy(bare)
    attrs_before = [set(vars(m)) for m in watched.modules()]
    train(bare, data, epochs=2)
    config = WatchConfig(
        scalars_every=1, gradients_every=2, histograms_every=2, activations_every=2
    )
    settings = Settings(home=tmp_path)
    with watch(watched, name="cuda", settings=settings, config=config) as run:
        train(watched, data, epochs=2, run=run)

    assert all(p.device.type == "cuda" for p in watched.parameters())
    assert [set(vars(m)) for m in watched.modules()] == attrs_before
    assert all(not m._forward_hooks and not m._backward_hooks for m in watched.modules())
    for (key, a), (_, b) in zip(
        bare.state_dict().items(), watched.state_dict().items(), strict=True
    ):
        # same kernels in the same order: identical up to cuBLAS' run-to-run reproducibility
        torch.testing.assert_close(a, b, rtol=0, atol=1e-6, msg=key)

    with Store(settings.db_url, settings.artifacts_dir) as store:
        record = store.runs.get(run.id)
        assert record.status is RunStatus.COMPLETED
        assert record.last_step == 16
        names = set(store.metrics.names(run.id))
        assert {"train/loss", "grad_mean_abs/block.0.weight", "dead_fraction/block.1"} <= names
        assert store.snapshots.list(run.id, EventKind.HISTOGRAMS)
        assert store.snapshots.list(run.id, EventKind.CALIBRATION)
