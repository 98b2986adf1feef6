"""The hyperparameters a trial's network and training take, with their defaults, per family.

A search space (:class:`~neuralscope.search.contract.SearchSpace`) samples some of these by
name; every field it leaves out keeps the default below, and a name that is not a field of the
family is refused (:func:`neuralscope.search.spaces.validate_space`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from neuralscope.search.contract import Family

ActivationName = Literal["relu", "tanh", "gelu", "elu", "leaky_relu", "sigmoid"]
OptimizerName = Literal["adam", "adamw", "sgd", "rmsprop"]
ScheduleName = Literal["constant", "cosine", "step", "onecycle"]


class TrainingParams(BaseModel):
    """What every family shares: regularisation, optimizer and schedule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    activation: ActivationName = "relu"
    dropout: float = Field(default=0.0, ge=0.0, lt=1.0)
    batch_norm: bool = False
    optimizer: OptimizerName = "adam"
    learning_rate: float = Field(default=1e-3, gt=0.0, le=10.0)
    batch_size: int = Field(default=64, ge=1, le=8192)
    weight_decay: float = Field(default=0.0, ge=0.0, le=1.0)
    lr_schedule: ScheduleName = "constant"
    epochs: int | None = Field(default=None, ge=1, description="None: the study's max_epochs")


class MLPParams(TrainingParams):
    """A multilayer perceptron for tabular data."""

    n_layers: int = Field(default=2, ge=1, le=16)
    units: int = Field(default=64, ge=1, le=4096)
    width_shrink: float = Field(default=1.0, gt=0.0, le=1.0, description="each layer x this")


class CNNParams(TrainingParams):
    """Convolution blocks (conv, [batch norm], activation, 2x2 max pool) then a dense head."""

    conv_blocks: int = Field(default=2, ge=1, le=6)
    filters: int = Field(default=16, ge=1, le=512)
    filters_growth: float = Field(default=2.0, ge=1.0, le=4.0, description="per block")
    kernel_size: int = Field(default=3, ge=1, le=11)
    dense_units: int = Field(default=64, ge=0, le=4096, description="0: no hidden dense layer")


class LSTMParams(TrainingParams):
    """Token embedding, stacked (bi)LSTM, last-step/max-pooled state, dense output."""

    embedding_dim: int = Field(default=32, ge=1, le=1024)
    lstm_units: int = Field(default=32, ge=1, le=1024)
    lstm_layers: int = Field(default=1, ge=1, le=4)
    bidirectional: bool = False


Hyperparams = MLPParams | CNNParams | LSTMParams
PARAMS_BY_FAMILY: dict[Family, type[TrainingParams]] = {
    "mlp": MLPParams,
    "cnn": CNNParams,
    "lstm": LSTMParams,
}


def family_for_kind(kind: str) -> Family:
    """The model family a dataset kind gets: image -> cnn, text -> lstm, tabular -> mlp."""
    families: dict[str, Family] = {"image": "cnn", "text": "lstm", "tabular": "mlp"}
    try:
        return families[kind]
    except KeyError:
        raise ValueError(f"no model family for dataset kind {kind!r}") from None
