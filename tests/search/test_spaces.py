"""Search spaces as data: packaged defaults, JSON/YAML round trips, errors naming the field."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest

from neuralscope.search.contract import CategoricalParam, FloatParam, IntParam
from neuralscope.search.hyperparams import CNNParams, family_for_kind
from neuralscope.search.spaces import (
    SpaceError,
    default_space,
    load_space,
    parse_space,
    sample,
    save_space,
)

COVERED = {
    "mlp": {"n_layers", "units"},
    "cnn": {"conv_blocks", "filters", "kernel_size", "dense_units"},
    "lstm": {"lstm_units", "lstm_layers", "bidirectional", "embedding_dim"},
}
SHARED = {
    "activation", "dropout", "batch_norm", "optimizer", "learning_rate", "batch_size",
    "weight_decay", "lr_schedule", "epochs",
}  # fmt: skip


@pytest.mark.parametrize("family", ["mlp", "cnn", "lstm"])
def test_default_spaces_cover_the_issue_and_explain_every_param(family: str) -> None:
    space = default_space(family)  # type: ignore[arg-type]
    assert space.family == family
    assert COVERED[family] | SHARED <= set(space.params)
    for name, param in space.params.items():
        assert len(param.help) > 30, name
    lr = space.params["learning_rate"]
    assert isinstance(lr, FloatParam)
    assert lr.log


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_save_and_load_round_trip(tmp_path: Path, suffix: str) -> None:
    space = default_space("cnn")
    path = tmp_path / f"space{suffix}"
    save_space(space, path)
    assert load_space(path) == space


def test_bad_space_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("family: cnn\nparams:\n  filters: {type: int, low: 64, high: 8}\n")
    with pytest.raises(SpaceError, match=r"params\.filters"):
        load_space(path)
    path.write_text("family: cnn\nparams:\n  wings: {type: int, low: 1, high: 2}\n")
    with pytest.raises(SpaceError, match=r"params\.wings: not a cnn hyperparameter"):
        load_space(path)
    path.write_text(
        "family: cnn\nparams:\n  optimizer: {type: categorical, choices: [adam, sgdd]}\n"
    )
    with pytest.raises(SpaceError, match=r"params\.optimizer: value 'sgdd' is invalid"):
        load_space(path)
    path.write_text("family: cnn\nparams: [1, 2\n")
    with pytest.raises(SpaceError, match="not valid yaml"):
        load_space(path)
    with pytest.raises(SpaceError, match=r"field family"):
        parse_space({"family": "gru", "params": {}})


def test_sample_fills_defaults_and_follows_the_ranges() -> None:
    space = parse_space(
        {
            "family": "cnn",
            "params": {
                "filters": IntParam(low=4, high=8).model_dump(),
                "learning_rate": FloatParam(low=1e-3, high=1e-2, log=True).model_dump(),
                "kernel_size": CategoricalParam(choices=[5]).model_dump(),
            },
        }
    )
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    for _ in range(5):
        params = sample(study.ask(), space)
        assert isinstance(params, CNNParams)
        assert 4 <= params.filters <= 8
        assert 1e-3 <= params.learning_rate <= 1e-2
        assert params.kernel_size == 5
        assert params.conv_blocks == CNNParams().conv_blocks


def test_family_follows_the_data_kind() -> None:
    assert [family_for_kind(k) for k in ("image", "text", "tabular")] == ["cnn", "lstm", "mlp"]
    with pytest.raises(ValueError, match="audio"):
        family_for_kind("audio")
