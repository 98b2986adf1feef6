"""What-if previews per class (issue #7): pruning a planted task-critical module lowers the F1
of exactly its task's classes; pruning a module that feeds nothing changes nothing."""

from __future__ import annotations

import copy

import pytest
import torch
from tests.decomposition.planted import idle_data, idle_module_net, train, trained_planted

from neuralscope.decomposition import Module, Prune, Reinitialize, what_if


def test_pruning_a_planted_module_costs_its_own_classes_only() -> None:
    model, data = trained_planted(0)
    before = copy.deepcopy(model.state_dict())
    module_a = Module(id="1#0", layer="1", units=list(range(16)))
    result = what_if(model, module_a, Prune(), data.test_x, data.test_y)
    assert len(result.f1_before) == len(result.f1_after) == 2  # two tasks, two classes each
    assert min(result.f1_before[0]) > 0.9
    assert all(after < 0.7 for after in result.f1_after[0])  # both task-A classes lose
    assert result.f1_after[1] == pytest.approx(result.f1_before[1])  # task B untouched
    assert result.accuracy_after[1] == pytest.approx(result.accuracy_before[1])
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key])


def test_pruning_or_reinitialising_a_dead_end_module_changes_nothing() -> None:
    torch.manual_seed(0)
    data = idle_data(2000, 4, 0)
    model = train(idle_module_net(), data, steps=400)
    idle = Module(id="1#2", layer="1", units=list(range(32, 48)))
    for intervention in (Prune(), Reinitialize(seed=3)):
        result = what_if(model, idle, intervention, data.test_x, data.test_y)
        assert result.loss_after == pytest.approx(result.loss_before, abs=1e-6)
        assert result.accuracy_after == result.accuracy_before
        assert result.f1_after == result.f1_before
