"""watch() in local mode: the user's model is never touched, hooks never stay, events land."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import torch
from tests.watch.helpers import Nested, Plain, digits, mlp, train
from torch import nn

from neuralscope import Settings, WatchConfig, watch
from neuralscope.events import EventKind, RunStatus
from neuralscope.store import Store

EVERY_STEP = WatchConfig(
    scalars_every=1, gradients_every=1, histograms_every=1, activations_every=1
)


def _hook_state(model: nn.Module) -> list[int]:
    return [
        len(m._forward_hooks)
        + len(m._forward_pre_hooks)
        + len(m._backward_hooks)
        + len(m._backward_pre_hooks)
        for m in model.modules()
    ]


def _attrs(model: nn.Module) -> list[set[str]]:
    return [set(vars(m)) for m in model.modules()]


@pytest.mark.parametrize("make", [mlp, Nested, Plain], ids=["sequential", "nested", "plain"])
def test_a_watched_loop_trains_exactly_like_the_bare_loop(
    make: type[nn.Module], tmp_path: Path
) -> None:
    data = digits(n_train=256)
    torch.manual_seed(1)
    bare = make()
    watched = copy.deepcopy(bare)
    hooks_before, attrs_before = _hook_state(watched), _attrs(watched)
    opt_bare = train(bare, data, epochs=2)
    with watch(watched, name="same", settings=Settings(home=tmp_path), config=EVERY_STEP) as run:
        opt_watched = train(watched, data, epochs=2, run=run)
    for (k, a), (k2, b) in zip(
        bare.state_dict().items(), watched.state_dict().items(), strict=True
    ):
        assert k == k2
        assert torch.equal(a, b), k
    assert _hook_state(watched) == hooks_before == [0] * len(hooks_before)
    assert _attrs(watched) == attrs_before
    assert set(vars(opt_watched)) == set(vars(opt_bare))
    assert str(opt_watched.state_dict()) == str(opt_bare.state_dict())


def test_hooks_are_removed_when_the_loop_raises(tmp_path: Path) -> None:
    model = mlp()
    data = digits(n_train=128)
    settings = Settings(home=tmp_path)
    attached: list[int] = []

    def failing_loop() -> None:
        with watch(model, settings=settings, config=EVERY_STEP) as run:
            runs.append(run.id)
            logits = model(data.x_train[:64])
            loss = nn.functional.cross_entropy(logits, data.y_train[:64])
            loss.backward()
            run.log(loss=loss, outputs=logits, targets=data.y_train[:64])
            attached.append(sum(_hook_state(model)))  # hooks wait for the next forward pass
            raise RuntimeError("boom")

    runs: list[str] = []
    with pytest.raises(RuntimeError, match="boom"):
        failing_loop()
    assert attached[0] > 0
    assert sum(_hook_state(model)) == 0
    with Store(settings.db_url, settings.artifacts_dir) as store:
        record = store.runs.get(runs[0])
    assert record.status is RunStatus.FAILED
    assert record.error is not None
    assert "boom" in record.error


def test_hooks_are_attached_only_on_sampled_steps(tmp_path: Path) -> None:
    model = mlp()
    data = digits(n_train=64 * 10)
    seen: list[int] = []
    config = WatchConfig(activations_every=5)
    with watch(model, settings=Settings(home=tmp_path), config=config) as run:
        for step in range(1, 11):
            seen.append(sum(_hook_state(model)))
            idx = slice((step - 1) * 64, step * 64)
            logits = model(data.x_train[idx])
            run.log(outputs=logits, targets=data.y_train[idx])
    # attached after step 4's log (for step 5's forward) and after step 9's
    assert [i + 1 for i, n in enumerate(seen) if n] == [5, 10]


def test_the_run_records_every_kind_of_signal(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    model = mlp()
    config = WatchConfig(
        scalars_every=1, gradients_every=5, histograms_every=5, activations_every=5
    )
    with watch(
        model, torch.optim.SGD(model.parameters()), name="kinds", settings=settings, config=config
    ) as run:
        train(model, digits(n_train=640), epochs=2, run=run)
    with Store(settings.db_url, settings.artifacts_dir) as store:
        record = store.runs.get(run.id)
        assert (record.kind, record.status, record.last_step) == ("watch", RunStatus.COMPLETED, 20)
        assert record.config["optimizer"] == "SGD"
        assert record.config["layers"] == ["1"]
        assert run.id in [r.id for r in store.runs.list().items]
        names = set(store.metrics.names(run.id))
        for name in [
            "train/loss",
            "train/accuracy",
            "val/loss",
            "val/accuracy",
            "grad_mean_abs/0.weight",
            "grad_max_abs/2.weight",
            "update_ratio/0.weight",
            "dead_fraction/1",
            "saturated_fraction/1",
            "calibration/val/ece",
            "epoch/train_loss",
            "epoch/val_accuracy",
        ]:
            assert name in names, name
        assert len(store.metrics.series(run.id, ["train/loss"])["train/loss"].steps) == 20
        hists = store.snapshots.list(run.id, EventKind.HISTOGRAMS)
        sources = {h.source for e in hists for h in e.payload.histograms}  # type: ignore[union-attr]
        assert sources == {"weight", "bias", "gradient", "activation"}
        cals = store.snapshots.list(run.id, EventKind.CALIBRATION)
        assert sorted((e.step, e.payload.split) for e in cals) == [  # type: ignore[union-attr]
            (10, "train"),
            (10, "val"),
            (20, "train"),
            (20, "val"),
        ]
        samples = store.snapshots.list(run.id, EventKind.SAMPLES)
        assert samples
        assert samples[0].payload.images.shape == [16, 8, 8]


def test_regression_outputs_are_watched_without_confidence(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(64, 3), torch.randn(64, 1)
    with watch(model, settings=settings, config=EVERY_STEP) as run:
        for _ in range(5):
            out = model(x)
            loss = ((out - y) ** 2).mean(dim=1)  # a per-sample loss vector is averaged
            opt.zero_grad()
            loss.mean().backward()
            opt.step()
            run.log(loss=loss, outputs=out, targets=y)
    with Store(settings.db_url, settings.artifacts_dir) as store:
        assert store.runs.get(run.id).status is RunStatus.COMPLETED
        assert len(store.metrics.series(run.id, ["train/loss"])["train/loss"].steps) == 5
        assert store.snapshots.list(run.id, EventKind.CALIBRATION) == []
        assert store.snapshots.list(run.id, EventKind.LAYER_STATS)  # tanh layer captured


def test_keyboard_interrupt_stops_the_run(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    ids: list[str] = []

    def interrupted() -> None:
        with watch(mlp(), settings=settings) as run:
            ids.append(run.id)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    with Store(settings.db_url, settings.artifacts_dir) as store:
        assert store.runs.get(ids[0]).status is RunStatus.STOPPED
