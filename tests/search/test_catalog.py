"""The catalog against real Optuna studies on a real SQLite file, checked against Optuna itself."""

from __future__ import annotations

import time
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState
from tests.search.catalog_helpers import clone_trials, make_study, seeded_study, write_trial

from neuralscope.search.catalog import StudyCatalog
from neuralscope.search.study import StudyNotFound


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'studies.db'}"


@pytest.fixture
def catalog(url: str) -> StudyCatalog:
    return StudyCatalog(optuna.storages.RDBStorage(url))


def test_summary_counts_states_and_finds_the_best_like_optuna(
    url: str, catalog: StudyCatalog
) -> None:
    study = seeded_study(url, "s").study
    summary = catalog.summary("s")
    assert summary.counts.model_dump() == {
        "running": 1,
        "complete": 6,
        "pruned": 1,
        "fail": 1,
        "waiting": 0,
    }
    assert summary.finished == 8
    assert summary.state == "running"
    assert summary.objective == "health"
    assert summary.n_trials == 20
    assert summary.best_trial == study.best_trial.number == 0  # 8 units: the healthiest
    assert summary.best_values == study.best_trial.values


def test_minimised_and_pareto_bests(url: str, catalog: StudyCatalog) -> None:
    study = seeded_study(url, "p", objective="pareto").study
    summary = catalog.summary("p")
    assert summary.directions == ["maximize", "maximize", "minimize"]
    complete = [t for t in study.trials if t.state == TrialState.COMPLETE]
    most_accurate = max(complete, key=lambda t: (t.values[0], -t.number))
    assert summary.best_trial == most_accurate.number
    front = catalog.pareto_front("p")
    assert sorted(t.number for t in front.front) == sorted(t.number for t in study.best_trials)
    assert front.objectives == ["accuracy", "health", "params"]
    assert [p[0] for p in front.points] == [float(t.number) for t in complete]


def test_list_studies_newest_first(url: str, catalog: StudyCatalog) -> None:
    make_study(url, "first")
    make_study(url, "second")
    assert [s.name for s in catalog.list_studies()] == ["second", "first"]
    assert catalog.summary("first").state == "idle"
    assert catalog.summary("first").best_trial is None


def test_pages_match_optuna_trials(url: str, catalog: StudyCatalog) -> None:
    study = seeded_study(url, "s").study
    trials = {t.number: t for t in study.trials}
    page = catalog.trials("s", limit=4, offset=2)
    assert page.total == 9
    assert [t.number for t in page.items] == [2, 3, 4, 5]
    for card in page.items:
        t = trials[card.number]
        assert card.params == t.params
        assert card.values == t.values
        assert [p.model_dump() for p in card.curve] == t.user_attrs["neuralscope.curve"]
        assert card.metrics is not None
        assert card.metrics.val_accuracy == t.user_attrs["neuralscope.metrics"]["val_accuracy"]
        assert [layer.kind for layer in card.architecture][:2] == ["input", "conv2d"]
    last = catalog.trials("s", limit=4, offset=8)
    assert [t.number for t in last.items] == [8]
    assert last.items[0].state == "running"


def test_pages_filter_by_state_and_order_by_value(url: str, catalog: StudyCatalog) -> None:
    study = seeded_study(url, "s").study
    pruned = catalog.trials("s", states=["pruned", "fail"])
    assert [(t.number, t.state) for t in pruned.items] == [(6, "pruned"), (7, "fail")]
    assert pruned.items[0].pruned_by == "intermediate"
    assert pruned.total == 2
    best_first = catalog.trials("s", order="best")
    complete = sorted(
        (t for t in study.trials if t.state == TrialState.COMPLETE), key=lambda t: -t.values[0]
    )
    assert [t.number for t in best_first.items][:6] == [t.number for t in complete]
    assert all(t.values is None for t in best_first.items[6:])  # unfinished ones last
    assert [t.number for t in catalog.trials("s", order="-number").items][:2] == [8, 7]


def test_trial_detail_best_and_missing(url: str, catalog: StudyCatalog, tmp_path: Path) -> None:
    seeded_study(url, "s", artifacts=tmp_path / "art")
    detail = catalog.trial("s", 3)
    assert detail.artifacts == str(tmp_path / "art" / "trial-00003")
    best = catalog.best_trial("s")
    assert best is not None
    assert best.number == 0
    with pytest.raises(StudyNotFound, match="no trial 99"):
        catalog.trial("s", 99)
    with pytest.raises(StudyNotFound, match="no study named 'nope'"):
        catalog.summary("nope")
    make_study(url, "empty")
    assert catalog.best_trial("empty") is None


@pytest.mark.slow
def test_importance_ranks_the_parameter_that_drives_the_objective(
    url: str, catalog: StudyCatalog
) -> None:
    study = make_study(url, "imp", objective="health")
    for i, units in enumerate([4, 8, 16, 32, 64, 96, 128, 160, 200, 256, 12, 48]):
        write_trial(study, units=units, lr=10 ** (-3 + (i * 7) % 3))
    result = catalog.importance("imp")
    assert result.reason is None
    assert result.params[0].name == "units"  # health = 90 - units/4: units decides everything
    assert result.params[0].importance > 0.5


def test_importance_with_too_few_trials_says_why(url: str, catalog: StudyCatalog) -> None:
    study = make_study(url, "few")
    write_trial(study, units=8, lr=0.01)
    result = catalog.importance("few")
    assert result.params == []
    assert result.reason == "needs at least 2 completed trials (has 1)"


def test_accuracy_best_and_health_best_differ(url: str, catalog: StudyCatalog) -> None:
    seeded_study(url, "s")
    acc, health = catalog.best_by_metric("s")
    assert acc is not None
    assert health is not None
    assert acc.params["units"] == 256  # the widest net is the most accurate...
    assert health.params["units"] == 8  # ...the narrowest the healthiest


def test_live_poll_reads_few_rows(url: str, catalog: StudyCatalog) -> None:
    seed = seeded_study(url, "s")
    assert catalog.trial_states("s")[8] == "running"
    write_trial(seed, units=32, lr=0.01, state=TrialState.RUNNING)
    assert catalog.trial_states("s")[9] == "running"
    assert catalog.curves("s", [9])[9][-1].epoch == 3


@pytest.mark.slow
def test_a_page_of_a_large_study_costs_no_more_than_a_page_of_a_small_one(
    url: str, catalog: StudyCatalog
) -> None:
    small = make_study(url, "small")
    large = make_study(url, "large")
    for seed in (small, large):
        write_trial(seed, units=64, lr=0.01)
    clone_trials(small, 0, 9)
    clone_trials(large, 0, 1999)
    page = catalog.trials("large", limit=10, offset=1500)
    study = optuna.load_study(study_name="large", storage=catalog.storage)
    trials = study.get_trials(deepcopy=False)  # Optuna reads all 2,000: seconds, not ms
    assert page.total == len(trials) == 2000
    assert [t.number for t in page.items] == list(range(1500, 1510))
    assert [t.values for t in page.items] == [trials[n].values for n in range(1500, 1510)]
    assert catalog.trials("large", limit=1, order="best").items[0].number == 1999

    def p50(name: str) -> float:
        times = []
        for _ in range(15):
            start = time.perf_counter()
            catalog.trials(name, limit=10, offset=0)
            times.append(time.perf_counter() - start)
        return sorted(times)[7]

    p50("large")  # warm up
    assert p50("large") < 3 * p50("small") + 0.005
