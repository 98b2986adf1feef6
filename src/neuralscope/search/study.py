"""Create, cancel and read the configuration of search studies (plain Optuna studies).

The study's directions come from the objective (``DIRECTIONS``); a ``pareto`` study samples
with NSGA-II (Deb et al. 2002), the others with TPE (Bergstra et al. 2011). Samplers and
pruners are not stored by Optuna: every process that runs a trial rebuilds them from the
stored :class:`StudyConfig` (:func:`sampler_for`, :func:`pruner_for`).
"""

from __future__ import annotations

import optuna
from optuna.trial import TrialState

from neuralscope.data.catalog import catalog_entry
from neuralscope.search.contract import ATTR_CANCELLED, ATTR_CONFIG, DIRECTIONS, StudyConfig
from neuralscope.search.hyperparams import family_for_kind
from neuralscope.search.spaces import SpaceError, validate_space
from neuralscope.search.storage import close_storage, open_storage

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


class StudyExists(ValueError):
    """A study with this name is already in the database."""


class StudyNotFound(LookupError):
    """No study with this name in the database (or it was not made by neuralscope)."""


def validate_config(config: StudyConfig) -> None:
    """Check the dataset name and that the space fits the dataset's model family.

    Raises:
        ValueError: naming the field (``dataset`` or ``space...``).
    """
    try:
        entry = catalog_entry(config.dataset)
    except ValueError as error:
        raise ValueError(f"dataset: {error}") from None
    if config.space is not None:
        family = family_for_kind(entry.kind)
        if config.space.family != family:
            raise ValueError(
                f"space.family: {config.dataset} is {entry.kind} data and needs the "
                f"{family!r} family, not {config.space.family!r}"
            )
        try:
            validate_space(config.space, source="space")
        except SpaceError as error:
            raise ValueError(str(error)) from None


def create_study(config: StudyConfig, storage_url: str) -> optuna.Study:
    """Create the study ``config.name`` on ``storage_url`` and store its configuration.

    Raises:
        StudyExists: the name is taken.
        ValueError: an unknown dataset or a space that does not fit it (the message names the
            field).
        StorageUnavailable: the database cannot be reached.
    """
    validate_config(config)
    storage = open_storage(storage_url)
    try:
        study = optuna.create_study(
            storage=storage,
            study_name=config.name,
            directions=DIRECTIONS[config.objective],  # type: ignore[arg-type]
            sampler=sampler_for(config),
        )
    except optuna.exceptions.DuplicatedStudyError:
        raise StudyExists(f"a study named {config.name!r} already exists") from None
    study.set_user_attr(ATTR_CONFIG, config.model_dump(mode="json"))
    return study


def load_study(
    storage: optuna.storages.BaseStorage, name: str, seed: int | None = None
) -> tuple[optuna.Study, StudyConfig]:
    """The study and its configuration, with the sampler (seeded by ``seed``) and pruner its
    configuration asks for."""
    try:
        study_id = storage.get_study_id_from_name(name)
    except KeyError:
        raise StudyNotFound(f"no study named {name!r} in this database") from None
    raw = storage.get_study_user_attrs(study_id).get(ATTR_CONFIG)
    if raw is None:
        raise StudyNotFound(f"study {name!r} was not created by neuralscope (no configuration)")
    config = StudyConfig.model_validate(raw)
    study = optuna.load_study(
        study_name=name,
        storage=storage,
        sampler=sampler_for(config, seed),
        pruner=pruner_for(config),
    )
    return study, config


def request_cancel(storage_url: str, study_name: str) -> None:
    """Mark the study cancelled: workers start no new trial, running ones stop at an epoch end."""
    storage = open_storage(storage_url)
    try:
        study_id = storage.get_study_id_from_name(study_name)
        storage.set_study_user_attr(study_id, ATTR_CANCELLED, True)
    except KeyError:
        raise StudyNotFound(f"no study named {study_name!r} in this database") from None
    finally:
        close_storage(storage)


def is_cancelled(storage: optuna.storages.BaseStorage, study_id: int) -> bool:
    return bool(storage.get_study_user_attrs(study_id).get(ATTR_CANCELLED, False))


def sampler_for(config: StudyConfig, seed: int | None = None) -> optuna.samplers.BaseSampler:
    """NSGA-II for ``pareto``, TPE otherwise; ``seed`` None draws one."""
    if config.objective == "pareto":
        population = max(4, min(50, config.n_trials // 3))
        return optuna.samplers.NSGAIISampler(population_size=population, seed=seed)
    startup = max(2, min(10, config.n_trials // 4))
    return optuna.samplers.TPESampler(n_startup_trials=startup, seed=seed)


def pruner_for(config: StudyConfig) -> optuna.pruners.BasePruner:
    """Median pruning on intermediate validation accuracy (single-objective studies only)."""
    if not config.pruning or len(DIRECTIONS[config.objective]) > 1:
        return optuna.pruners.NopPruner()
    return optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1)
