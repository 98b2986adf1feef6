"""Search trials decompose their last hidden layer each epoch (issue #7): a real Optuna trial on
digits stores a module summary that a direct ``module_summary`` on the saved model reproduces,
and the REST trial views return it."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
import optuna
import pytest
import torch
from fastapi.testclient import TestClient
from safetensors.torch import load_file
from tests.search.helpers import tiny_space, tiny_study

from neuralscope.config import Settings
from neuralscope.decomposition.summary import module_summary
from neuralscope.search.contract import (
    ATTR_ARTIFACTS,
    ATTR_CONFIG,
    ATTR_CURVE,
    ATTR_MODULES,
    TrialModules,
)
from neuralscope.search.experiment import load_data
from neuralscope.search.models import ModelSpec, build_model
from neuralscope.search.objective import EPOCH_PROBE, Objective
from neuralscope.search.trial_modules import SEARCH_DECOMPOSE, TrialModuleWatch
from neuralscope.server import create_app

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _saved_model(directory: Path) -> torch.nn.Module:
    spec = ModelSpec.model_validate_json((directory / "spec.json").read_text())
    model = build_model(spec)
    model.load_state_dict(load_file(str(directory / "model.safetensors")))
    return model


@pytest.mark.slow
def test_trial_summary_matches_a_direct_decomposition_of_the_saved_model(tmp_path: Path) -> None:
    config = tiny_study("m", objective="accuracy", max_epochs=3, space=tiny_space(dense_units=16))
    data = load_data(config, tmp_path / "datasets")
    settings = Settings(home=tmp_path / "home")
    with TestClient(create_app(settings)):  # creates the app's database
        pass
    study = optuna.create_study(
        storage=settings.db_url,
        study_name="m",
        direction="maximize",
        sampler=optuna.samplers.RandomSampler(0),
    )
    study.set_user_attr(ATTR_CONFIG, config.model_dump(mode="json"))
    study.optimize(Objective(config, data, tmp_path), n_trials=1)
    trial = study.trials[0]
    assert trial.state == optuna.trial.TrialState.COMPLETE
    stored = TrialModules.model_validate(trial.user_attrs[ATTR_MODULES])
    assert json.loads(json.dumps(trial.user_attrs[ATTR_MODULES], allow_nan=False))
    model = _saved_model(Path(trial.user_attrs[ATTR_ARTIFACTS]))
    layer = stored.layer
    assert layer == [n for n, _ in model.named_children() if n.startswith("act")][-1]
    assert stored.units == 16
    x = torch.from_numpy(np.ascontiguousarray(data.x_val[:EPOCH_PROBE]))
    y = torch.from_numpy(np.ascontiguousarray(data.y_val[:EPOCH_PROBE])).long()
    direct = module_summary(
        model, x, y, layers=[layer], config=replace(SEARCH_DECOMPOSE, metrics=True)
    )
    (entry,) = direct["layers"]  # type: ignore[misc]
    assert isinstance(entry, dict)
    for key, value in entry.items():
        assert getattr(stored, key) == value, key
    assert stored.dominant_share is not None  # the last epoch evaluates the importance
    assert set(stored.alerts) >= set(direct["findings"])  # type: ignore[arg-type]
    assert stored.probe_samples == EPOCH_PROBE
    # The first and last epochs always decompose; the middle one only within the time budget.
    assert [p["epoch"] for p in trial.user_attrs[ATTR_CURVE]] == [1, 2, 3]
    assert [p.epoch for p in stored.history] in ([1, 2, 3], [1, 3])
    assert stored.history[-1].modules == stored.modules
    assert stored.seconds > 0

    with TestClient(create_app(settings)) as client:  # the REST views carry it as is
        detail = client.get("/api/studies/m/trials/0")
        assert detail.status_code == 200, detail.text
        assert detail.json()["modules"] == trial.user_attrs[ATTR_MODULES]
        page = client.get("/api/studies/m/trials").json()
        assert page["items"][0]["modules"] == trial.user_attrs[ATTR_MODULES]


def test_a_study_without_modules_stores_none(tmp_path: Path) -> None:
    config = tiny_study("n", objective="accuracy", max_epochs=1)
    data = load_data(config, tmp_path / "datasets")
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(0))
    study.optimize(Objective(config, data, tmp_path, modules=False), n_trials=1)
    assert ATTR_MODULES not in study.trials[0].user_attrs


def test_epoch_identifications_stay_within_the_budget_but_the_final_epoch_always_runs() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        OrderedDict(dense1=torch.nn.Linear(4, 16), act1=torch.nn.Tanh(), out=torch.nn.Linear(16, 3))
    )
    x, y = torch.randn(256, 4), torch.randint(0, 3, (256,))

    def epochs_run(elapsed_s: float | None) -> list[int]:
        watch = TrialModuleWatch("act1", x, y, epochs=4)
        summaries = [watch.after_epoch(e, model, elapsed_s) for e in (1, 2, 3, 4)]
        assert summaries[0] is not None
        final = summaries[-1]
        assert final is not None
        return [p.epoch for p in final.history]

    assert epochs_run(None) == [1, 2, 3, 4]  # no clock given: every epoch
    assert epochs_run(1e6) == [1, 2, 3, 4]  # a long trial: far within the budget
    assert epochs_run(1e-9) == [1, 4]  # no time left: the baseline and the final model only
