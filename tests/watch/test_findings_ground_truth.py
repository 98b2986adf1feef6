"""Ground truth: planted defects are found exactly, healthy runs raise no false alarm."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from tests.watch.helpers import digits, mlp, train

from neuralscope import Settings, WatchConfig, watch
from neuralscope.events import EventKind
from neuralscope.findings import Finding
from neuralscope.store import Store

# A few hundred steps per run: read every training batch (the default samples every 20th).
SMALL = WatchConfig(scalars_every=1)


def _findings(settings: Settings, run_id: str) -> list[Finding]:
    with Store(settings.db_url, settings.artifacts_dir) as store:
        events = store.events.list(run_id, kinds=[EventKind.FINDING])
    return [e.payload for e in events]  # type: ignore[misc]


@pytest.mark.slow
def test_a_run_built_to_overfit_is_flagged_and_a_healthy_one_is_not(tmp_path: Path) -> None:
    torch.manual_seed(0)
    settings = Settings(home=tmp_path)
    # 200 samples, 30% of their labels random, a wide net and Adam for 40 epochs: memorises.
    wide = mlp(256)
    with watch(wide, settings=settings, name="overfit", config=SMALL) as run:
        train(
            wide,
            digits(n_train=200, label_noise=0.3),
            epochs=40,
            run=run,
            lr=1e-2,
            optimizer=torch.optim.Adam,
        )
    overfit = [f for f in _findings(settings, run.id) if f.code == "overfitting"]
    assert len(overfit) == 1
    ev = overfit[0].evidence
    gap_rule = float(ev.get("gap") or 0) > 0.15 and float(ev.get("gap_ci_low") or 0) > 0
    prechelt_rule = float(ev.get("GL") or 0) > 5 and int(ev.get("UP") or 0) >= 3
    assert gap_rule or prechelt_rule

    torch.manual_seed(0)
    healthy = mlp(64)
    with watch(healthy, settings=settings, name="healthy", config=SMALL) as run:
        train(
            healthy, digits(n_train=1200), epochs=15, run=run, lr=1e-3, optimizer=torch.optim.Adam
        )
    codes = {f.code for f in _findings(settings, run.id)}
    assert "overfitting" not in codes
    assert "loss_decreasing" in codes  # and it says so


def test_planted_dead_relus_are_reported_exactly(tmp_path: Path) -> None:
    torch.manual_seed(0)
    settings = Settings(home=tmp_path)
    model = mlp(32)
    with torch.no_grad():
        model[0].bias[:8] = -100.0  # inputs lie in [0, 1]: these 8 units can never fire
    with watch(
        model, settings=settings, config=SMALL.model_copy(update={"activations_every": 2})
    ) as run:
        train(model, digits(n_train=1200), epochs=3, run=run)
    dead = [f for f in _findings(settings, run.id) if f.code == "dead_units"]
    assert len(dead) == 1
    assert dead[0].layer == "1"
    assert dead[0].evidence["dead"] == 8
    assert dead[0].evidence["units"] == 32

    torch.manual_seed(0)
    healthy = mlp(32)
    with watch(
        healthy, settings=settings, config=SMALL.model_copy(update={"activations_every": 2})
    ) as run:
        train(healthy, digits(n_train=1200), epochs=3, run=run)
    assert "dead_units" not in {f.code for f in _findings(settings, run.id)}
