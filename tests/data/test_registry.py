"""The dataset registry: every set draws, splits and labels as its task says."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from neuralscope.data import REGISTRY, DataConfig, derive, make_dataset


@pytest.mark.parametrize("name", [n for n in REGISTRY if n != "mnist"])
def test_every_set_is_seeded_split_and_typed(name: str) -> None:
    config = DataConfig(dataset=name, n_samples=120, noise=0.1)  # type: ignore[arg-type]
    a, b = make_dataset(config, seed=2), make_dataset(config, seed=2)
    assert torch.equal(a.x_train, b.x_train)
    assert torch.equal(a.y_val, b.y_val)
    info = REGISTRY[name].info
    assert a.x_train.shape[1:] == info.input_shape
    assert a.x_train.shape[0] + a.x_val.shape[0] == 120
    if info.task == "multiclass":
        assert a.y_train.dtype == torch.int64
        assert a.y_train.ndim == 1
        assert set(torch.cat([a.y_train, a.y_val]).tolist()) == set(range(a.n_classes))
    elif info.task == "binary":
        assert set(a.y_train.flatten().tolist()) == {0.0, 1.0}
    else:
        assert a.y_train.dtype == torch.float32
        assert a.y_train.shape[1] == 1


@pytest.mark.parametrize("k", [3, 4, 5])
def test_multiclass_sets_have_the_chosen_number_of_classes(k: int) -> None:
    for name in ("blobs", "spirals_multi"):
        data = make_dataset(DataConfig(dataset=name, n_samples=100, n_classes=k))  # type: ignore[arg-type]
        assert data.n_classes == k
        labels = torch.cat([data.y_train, data.y_val])
        assert torch.bincount(labels).tolist() == [
            len(labels) // k + (i < len(labels) % k) for i in range(k)
        ]


def test_regression_targets_follow_their_formula_without_noise() -> None:
    plane = make_dataset(DataConfig(dataset="plane", n_samples=50))
    x, y = plane.x_train, plane.y_train[:, 0]
    torch.testing.assert_close(y, (x[:, 0] + x[:, 1]) / 12)
    sine = make_dataset(DataConfig(dataset="sine", n_samples=50))
    torch.testing.assert_close(sine.y_val[:, 0], torch.sin(sine.x_val[:, 0]))


def test_moons_noise_blurs_the_classes() -> None:
    def separable_share(noise: float) -> float:
        d = make_dataset(DataConfig(dataset="moons", n_samples=2000, noise=noise))
        # the outer moon (label 0) lies above the inner one near the centre line
        return float(((d.x_train[:, 1] > -0.25) == (d.y_train[:, 0] == 0)).float().mean())

    assert separable_share(0.0) > separable_share(0.3)


def test_validation_fraction_controls_the_split() -> None:
    data = make_dataset(DataConfig(dataset="blobs", n_samples=200, validation_fraction=0.2))
    assert data.x_val.shape[0] == 40


def test_digits_are_scaled_images() -> None:
    data = make_dataset(DataConfig(dataset="digits", n_samples=300))
    assert data.x_train.shape[1:] == (1, 8, 8)
    assert float(data.x_train.min()) >= 0.0
    assert float(data.x_train.max()) <= 1.0
    assert data.n_classes == 10


def test_derived_features_are_playgrounds() -> None:
    x = torch.tensor([[1.0, 2.0], [-0.5, 3.0]])
    out = derive(x, ["x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"])
    a, b = x[:, 0], x[:, 1]
    expected = torch.stack([a, b, a * a, b * b, a * b, torch.sin(a), torch.sin(b)], dim=1)
    torch.testing.assert_close(out, expected)
    assert derive(x, []) is x


def test_features_only_for_plane_sets_and_once_each() -> None:
    with pytest.raises(ValueError, match="2-D sets only"):
        DataConfig(dataset="digits", features=["x1_squared"])
    with pytest.raises(ValueError, match="once"):
        DataConfig(dataset="xor", features=["x1_x2", "x1_x2"])


def test_mnist_without_a_cache_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="datasets import mnist"):
        make_dataset(DataConfig(dataset="mnist"), home=tmp_path)
