"""Studies written with plain Optuna and the contract's user attributes, as workers write them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna
import sqlalchemy as sa
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState, create_trial

from neuralscope.search.contract import (
    ARTIFACT_FILES,
    ATTR_ARCHITECTURE,
    ATTR_ARTIFACTS,
    ATTR_CONFIG,
    ATTR_CURVE,
    ATTR_METRICS,
    ATTR_PRUNED_BY,
    ATTR_WORKER,
    DIRECTIONS,
    ArchitectureLayer,
    CurvePoint,
    HealthComponents,
    StudyConfig,
    TrialMetrics,
)

optuna.logging.set_verbosity(optuna.logging.WARNING)


def architecture(units: int, health: float) -> list[ArchitectureLayer]:
    return [
        ArchitectureLayer(kind="input", output_shape=[1, 8, 8]),
        ArchitectureLayer(
            kind="conv2d",
            output_shape=[8, 8, 8],
            params=80,
            filters=8,
            kernel_size=3,
            activation="relu",
            health=health,
        ),
        ArchitectureLayer(kind="flatten", output_shape=[512]),
        ArchitectureLayer(
            kind="dense",
            output_shape=[units],
            params=512 * units + units,
            units=units,
            activation="relu",
            health=health,
        ),
        ArchitectureLayer(kind="output", output_shape=[10], params=units * 10 + 10, units=10),
    ]


def metrics(accuracy: float, health: float, params: int) -> TrialMetrics:
    parts = {k: health / 100 for k in HealthComponents.model_fields}
    return TrialMetrics(
        val_accuracy=accuracy,
        train_accuracy=min(1.0, accuracy + 0.02),
        health=health,
        components=HealthComponents(**parts),
        params=params,
        epochs=3,
        train_seconds=1.5,
        findings=[] if health > 50 else ["dead_units"],
    )


def curve(accuracy: float, epochs: int) -> list[CurvePoint]:
    return [
        CurvePoint(epoch=e, train_loss=1.0 / e, val_accuracy=accuracy * e / epochs, health=50.0 + e)
        for e in range(1, epochs + 1)
    ]


DISTRIBUTIONS = {
    "units": IntDistribution(4, 256, log=True),
    "learning_rate": FloatDistribution(1e-4, 1e-1, log=True),
    "activation": CategoricalDistribution(["relu", "tanh"]),
}


@dataclass
class Seeded:
    """A study being written by a test, as a worker would write it."""

    study: optuna.Study
    storage: optuna.storages.RDBStorage
    study_id: int
    count: int = 0


def write_trial(
    seed: Seeded,
    *,
    units: int,
    lr: float,
    state: TrialState = TrialState.COMPLETE,
    artifacts: Path | None = None,
) -> int:
    """One trial as a worker leaves it (one transaction): wide nets are accurate, less healthy."""
    accuracy = round(0.5 + 0.4 * min(units, 200) / 200 + 0.01 * (lr > 0.01), 4)
    health = round(90.0 - 0.25 * units, 2)
    layers = architecture(units, health / 100)
    params = sum(layer.params for layer in layers)
    epochs = 1 if state == TrialState.PRUNED else 3
    attrs: dict[str, Any] = {
        ATTR_ARCHITECTURE: [layer.model_dump(mode="json") for layer in layers],
        ATTR_WORKER: "testhost:1",
        ATTR_CURVE: [p.model_dump(mode="json") for p in curve(accuracy, epochs)],
    }
    number = seed.count
    values = None
    if state == TrialState.PRUNED:
        attrs[ATTR_PRUNED_BY] = "intermediate"
    if state == TrialState.COMPLETE:
        attrs[ATTR_METRICS] = metrics(accuracy, health, params).model_dump(mode="json")
        objective = seed.study.user_attrs[ATTR_CONFIG]["objective"]
        values = {
            "accuracy": [accuracy],
            "health": [health],
            "pareto": [accuracy, health, float(params)],
        }[objective]
        if artifacts is not None:
            folder = artifacts / f"trial-{number:05d}"
            folder.mkdir(parents=True)
            for name in ARTIFACT_FILES.values():
                (folder / name).write_text(f"{name} of trial {number}")
            attrs[ATTR_ARTIFACTS] = str(folder)
    trial = create_trial(
        state=state,
        values=values,
        params={"units": units, "learning_rate": lr, "activation": "relu"},
        distributions=DISTRIBUTIONS,
        user_attrs=attrs,
    )
    trial_id = seed.storage.create_new_trial(seed.study_id, template_trial=trial)
    seed.count += 1
    assert seed.storage.get_trial_number_from_id(trial_id) == number
    return number


def fast_storage(url: str) -> optuna.storages.RDBStorage:
    """Optuna's storage with SQLite's fsync off: seeding tests is then cheap."""
    storage = optuna.storages.RDBStorage(url)

    def pragmas(connection: Any, _: Any) -> None:
        connection.execute("PRAGMA synchronous=OFF")

    sa.event.listen(storage.engine, "connect", pragmas)
    storage.engine.dispose()
    return storage


def make_study(url: str, name: str, objective: str = "health", n_trials: int = 20) -> Seeded:
    storage = fast_storage(url)
    study = optuna.create_study(storage=storage, study_name=name, directions=DIRECTIONS[objective])
    config = StudyConfig(name=name, dataset="digits", objective=objective, n_trials=n_trials)  # type: ignore[arg-type]
    study.set_user_attr(ATTR_CONFIG, config.model_dump(mode="json"))
    return Seeded(study, storage, storage.get_study_id_from_name(name))


def seeded_study(
    url: str, name: str, objective: str = "health", artifacts: Path | None = None
) -> Seeded:
    """Six complete trials (units 8..256), one pruned, one failed, one running."""
    seed = make_study(url, name, objective)
    for i, units in enumerate([8, 16, 32, 64, 128, 256]):
        write_trial(seed, units=units, lr=10 ** (-3 + i % 3), artifacts=artifacts)
    write_trial(seed, units=4, lr=0.1, state=TrialState.PRUNED)
    write_trial(seed, units=4, lr=0.1, state=TrialState.FAIL)
    write_trial(seed, units=24, lr=0.01, state=TrialState.RUNNING)
    return seed


def clone_trials(seed: Seeded, number: int, copies: int) -> None:
    """Append ``copies`` copies of trial ``number``'s rows in Optuna's tables in one transaction
    (value + k·1e-6 for the k-th copy), for studies of thousands of trials: Optuna's own ORM
    writes take ~0.1 s a trial on a busy 2-core box."""
    engine = seed.storage.engine
    s = seed.study_id
    with engine.begin() as conn:

        def rows(sql: str, **binds: Any) -> list[Any]:
            return list(conn.execute(sa.text(sql), binds))

        [(tid, state, start, end)] = rows(
            "SELECT trial_id, state, datetime_start, datetime_complete FROM trials "
            "WHERE study_id = :s AND number = :n",
            s=s,
            n=number,
        )
        first = seed.count
        conn.execute(
            sa.text(
                "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) "
                "VALUES (:n, :s, :state, :start, :end)"
            ),
            [
                {"n": first + k, "s": s, "state": state, "start": start, "end": end}
                for k in range(copies)
            ],
        )
        new = rows(
            "SELECT trial_id, number FROM trials WHERE study_id = :s AND number >= :n",
            s=s,
            n=first,
        )
        values = rows(
            "SELECT objective, value, value_type FROM trial_values WHERE trial_id = :t", t=tid
        )
        params = rows(
            "SELECT param_name, param_value, distribution_json FROM trial_params "
            "WHERE trial_id = :t",
            t=tid,
        )
        attrs = rows("SELECT key, value_json FROM trial_user_attributes WHERE trial_id = :t", t=tid)
        inserts = [
            (
                "INSERT INTO trial_values (trial_id, objective, value, value_type) "
                "VALUES (:t, :a, :b, :c)",
                [
                    {"t": t, "a": o, "b": v + (n - first) * 1e-6, "c": vt}
                    for t, n in new
                    for o, v, vt in values
                ],
            ),
            (
                "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
                "VALUES (:t, :a, :b, :c)",
                [{"t": t, "a": a, "b": b, "c": c} for t, _ in new for a, b, c in params],
            ),
            (
                "INSERT INTO trial_user_attributes (trial_id, key, value_json) VALUES (:t, :a, :b)",
                [{"t": t, "a": a, "b": b} for t, _ in new for a, b in attrs],
            ),
        ]
        for sql, batch in inserts:
            if batch:
                conn.execute(sa.text(sql), batch)
    seed.count += copies
