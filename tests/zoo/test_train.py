"""The zoo trains with the Playground's engine and its files load back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from neuralscope.training import Session
from neuralscope.training.export import export_spec
from neuralscope.zoo import (
    ZOO,
    ZOO_BY_NAME,
    UnknownZooModel,
    ZooNotInstalled,
    ZooProgress,
    entry_steps,
    installed,
    load_card,
    load_model,
    load_weights,
    train_entry,
)

from .conftest import TINY


def test_tiny_zoo_installs_every_entry_with_its_spec_and_metrics(tiny_zoo: Path) -> None:
    cards = installed(tiny_zoo)
    assert [c.name for c in cards] == [e.name for e in ZOO]
    for card, entry in zip(cards, ZOO, strict=True):
        assert card.config == entry.config
        assert card.export == export_spec(entry.config.spec, entry.config.data)
        assert card.steps == entry_steps(entry, TINY)
        assert card.scale == TINY
        assert 0.0 <= card.metrics["val/accuracy"] <= 1.0
        assert card.metrics["val/loss"] > 0
    assert sorted(p.suffix for p in tiny_zoo.iterdir()) == [".json"] * 4 + [".safetensors"] * 4


def test_weights_and_spec_round_trip(tiny_zoo: Path) -> None:
    for entry in ZOO:
        # Independent of the loader: the raw safetensors file and the raw JSON.
        raw = load_file(tiny_zoo / f"{entry.name}.safetensors")
        card = load_card(tiny_zoo, entry.name)
        assert card.model_dump(mode="json") == json.loads(
            (tiny_zoo / f"{entry.name}.json").read_text()
        )
        weights = load_weights(tiny_zoo, entry.name)
        model = load_model(tiny_zoo, entry.name)
        assert weights.keys() == raw.keys() == model.state_dict().keys()
        for name, tensor in model.state_dict().items():
            assert torch.equal(tensor, raw[name]), name
            assert torch.equal(weights[name], raw[name]), name


def test_retraining_reproduces_the_same_weights_and_metrics(tiny_zoo: Path, tmp_path: Path) -> None:
    entry = ZOO_BY_NAME["blobs"]
    card = train_entry(entry, tmp_path, TINY)
    assert card.metrics == load_card(tiny_zoo, "blobs").metrics
    again, first = load_weights(tmp_path, "blobs"), load_weights(tiny_zoo, "blobs")
    assert all(torch.equal(again[k], first[k]) for k in first)


def test_the_saved_model_is_the_trained_one_not_its_init(tiny_zoo: Path) -> None:
    """Reloaded into a fresh Session, the weights reproduce the card's validation metrics;
    the same Session's own seeded init does not."""
    for entry in ZOO:
        card = load_card(tiny_zoo, entry.name)
        fresh = Session(card.config)
        _, val_init, _ = fresh.evaluate_all()
        fresh.load_weights(load_weights(tiny_zoo, entry.name))
        _, val, metrics = fresh.evaluate_all()
        assert val.loss == pytest.approx(card.metrics["val/loss"], rel=1e-6, abs=1e-9)
        assert val.accuracy == card.metrics["val/accuracy"]
        assert metrics["val/f1"] == pytest.approx(card.metrics["val/f1"])
        assert val_init.loss != pytest.approx(val.loss, rel=1e-3), entry.name


def test_progress_reaches_every_entrys_last_step(tmp_path: Path) -> None:
    seen: list[ZooProgress] = []
    entry = ZOO_BY_NAME["blobs"]
    train_entry(entry, tmp_path, 0.15, seen.append)  # 120 steps: reports at 50, 100, 120
    assert [(p.step, p.total) for p in seen] == [(50, 120), (100, 120), (120, 120)]


def test_unknown_and_missing_entries_are_told_apart(tmp_path: Path) -> None:
    with pytest.raises(UnknownZooModel):
        load_card(tmp_path, "../etc/passwd")
    with pytest.raises(ZooNotInstalled, match="neuralscope zoo train"):
        load_card(tmp_path, "spirals")
    (tmp_path / "spirals.json").write_text("{not json")
    (tmp_path / "spirals.safetensors").write_bytes(b"")
    with pytest.raises(ZooNotInstalled, match="unreadable"):
        load_card(tmp_path, "spirals")
    with pytest.raises(ZooNotInstalled, match="unreadable"):
        load_weights(tmp_path, "spirals")
    assert installed(tmp_path) == []


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        entry_steps(ZOO[0], 0.0)
