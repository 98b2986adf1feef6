"""Search spaces as data: the default spaces (YAML package data) and loading, saving, checking
and sampling them.

A space file is JSON or YAML with the shape of :class:`SearchSpace`::

    family: cnn
    params:
      learning_rate: {type: float, low: 0.0001, high: 0.1, log: true, help: "..."}

Params a space leaves out keep their defaults (:mod:`neuralscope.search.hyperparams`).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import optuna
import yaml  # type: ignore[import-untyped]
from pydantic import ValidationError

from neuralscope.search.contract import (
    CategoricalParam,
    Family,
    FloatParam,
    IntParam,
    SearchSpace,
)
from neuralscope.search.hyperparams import PARAMS_BY_FAMILY, Hyperparams


class SpaceError(ValueError):
    """A space that cannot be used; the message names the offending field."""


def default_space(family: Family) -> SearchSpace:
    """The packaged default space for ``family`` (``search/spaces/<family>.yaml``)."""
    text = resources.files("neuralscope.search").joinpath(f"spaces/{family}.yaml").read_text()
    return parse_space(yaml.safe_load(text), source=f"default {family} space")


def parse_space(data: Any, source: str = "space") -> SearchSpace:
    """Validate raw data as a space and check it against its family's hyperparameters."""
    try:
        space = SearchSpace.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise SpaceError(f"{source}: field {where}: {first['msg']}") from None
    validate_space(space, source)
    return space


def load_space(path: Path) -> SearchSpace:
    """Read a space from a ``.json``, ``.yaml`` or ``.yml`` file."""
    try:
        text = path.read_text()
    except OSError as error:
        raise SpaceError(f"cannot read space file {path}: {error.strerror}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise SpaceError(
            f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {error}"
        ) from None
    return parse_space(data, source=str(path))


def save_space(space: SearchSpace, path: Path) -> None:
    """Write ``space`` as JSON (``.json``) or YAML (anything else)."""
    data = space.model_dump(mode="json")
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2) + "\n")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False, width=100))


def validate_space(space: SearchSpace, source: str = "space") -> None:
    """Every param must be a hyperparameter of the family, and every value it can take valid."""
    model = PARAMS_BY_FAMILY[space.family]
    for name, param in space.params.items():
        field = f"{source}: field params.{name}"
        if name not in model.model_fields:
            known = ", ".join(sorted(model.model_fields))
            raise SpaceError(f"{field}: not a {space.family} hyperparameter (known: {known})")
        values: list[Any]
        if isinstance(param, CategoricalParam):
            values = list(param.choices)
        else:
            values = [param.low, param.high]
        for value in values:
            try:
                model.model_validate({name: value})
            except ValidationError as error:
                reason = error.errors()[0]["msg"]
                raise SpaceError(f"{field}: value {value!r} is invalid: {reason}") from None


def sample(trial: optuna.Trial, space: SearchSpace) -> Hyperparams:
    """Ask the trial for every param of the space; the rest keep their defaults."""
    values: dict[str, Any] = {}
    for name, param in space.params.items():
        if isinstance(param, IntParam):
            step = 1 if param.log else param.step
            values[name] = trial.suggest_int(name, param.low, param.high, step=step, log=param.log)
        elif isinstance(param, FloatParam):
            values[name] = trial.suggest_float(name, param.low, param.high, log=param.log)
        else:
            values[name] = trial.suggest_categorical(name, param.choices)
    return hyperparams_from(space.family, values)


def hyperparams_from(family: Family, values: dict[str, Any]) -> Hyperparams:
    """The family's hyperparameters with ``values`` filled in (defaults for the rest)."""
    params = PARAMS_BY_FAMILY[family].model_validate(values)
    assert not isinstance(params, type)
    return params  # type: ignore[return-value]
