"""The zoo script trains with the engine and writes weights a fresh Session can fine-tune."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file
from scripts.train_zoo import ZOO, train_entry

from neuralscope.training import Session, SessionConfig


def test_tiny_zoo_writes_weights_and_cards_that_load_and_fine_tune(tmp_path: Path) -> None:
    for entry in ZOO:
        metrics = train_entry(entry, tmp_path, scale=0.02)
        assert "val/accuracy" in metrics
        card = json.loads((tmp_path / f"{entry.name}.json").read_text())
        config = SessionConfig.model_validate(card["config"])
        weights = load_file(tmp_path / f"{entry.name}.safetensors")
        session = Session(config)
        session.load_weights(weights)
        for name, tensor in session.model.state_dict().items():
            assert torch.equal(tensor, weights[name]), name
        session.start()
        session.step()  # fine-tuning goes on from the loaded weights
        assert session.global_step == 1
    assert {p.suffix for p in tmp_path.iterdir()} == {".json", ".safetensors"}
