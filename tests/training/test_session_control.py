"""Session control: every status x action, stepping only while running, terminal freeze."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch

from neuralscope.data import DataConfig
from neuralscope.events import RunStatus
from neuralscope.training import HyperparameterUpdate, IllegalTransition, Session, SessionConfig


def in_status(status: RunStatus) -> Session:
    session = Session(SessionConfig(data=DataConfig(dataset="xor", n_samples=100), max_steps=2))
    if status is RunStatus.CREATED:
        return session
    session.start()
    if status is RunStatus.PAUSED:
        session.pause()
    elif status is RunStatus.STOPPED:
        session.stop()
    elif status is RunStatus.COMPLETED:
        session.step()
        session.step()
    elif status is RunStatus.DIVERGED:
        with torch.no_grad():
            session.model.output.bias.fill_(math.nan)
        session.step()
    assert session.status is status
    return session


LEGAL: dict[tuple[RunStatus, str], RunStatus] = {
    (RunStatus.CREATED, "start"): RunStatus.RUNNING,
    (RunStatus.CREATED, "stop"): RunStatus.STOPPED,
    (RunStatus.RUNNING, "pause"): RunStatus.PAUSED,
    (RunStatus.RUNNING, "stop"): RunStatus.STOPPED,
    (RunStatus.PAUSED, "resume"): RunStatus.RUNNING,
    (RunStatus.PAUSED, "stop"): RunStatus.STOPPED,
}
STATUSES = [s for s in RunStatus if s is not RunStatus.FAILED]  # a Session never fails itself
ACTIONS = ["start", "pause", "resume", "stop"]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_control_transitions(status: RunStatus, action: str) -> None:
    session = in_status(status)
    act: Callable[[], None] = getattr(session, action)
    if (status, action) in LEGAL:
        act()
        assert session.status is LEGAL[(status, action)]
    else:
        with pytest.raises(IllegalTransition, match=f"cannot {action} .* {status.value}"):
            act()
        assert session.status is status


@pytest.mark.parametrize("status", [s for s in STATUSES if s is not RunStatus.RUNNING])
def test_step_is_only_legal_while_running(status: RunStatus) -> None:
    session = in_status(status)
    step = session.global_step
    with pytest.raises(IllegalTransition, match=f"cannot step .* {status.value}"):
        session.step()
    assert session.global_step == step


def test_illegal_transition_is_a_value_error() -> None:
    assert issubclass(IllegalTransition, ValueError)


def test_pause_blocks_steps_and_resume_continues() -> None:
    session = in_status(RunStatus.RUNNING)
    session.pause()
    with pytest.raises(IllegalTransition):
        session.step()
    session.resume()
    assert session.step().step == 1


@pytest.mark.parametrize("status", [RunStatus.STOPPED, RunStatus.COMPLETED, RunStatus.DIVERGED])
def test_hyperparameters_are_frozen_once_terminal(status: RunStatus) -> None:
    with pytest.raises(IllegalTransition, match=status.value):
        in_status(status).set_hyperparameters(HyperparameterUpdate(learning_rate=0.1))


@pytest.mark.parametrize("status", [RunStatus.CREATED, RunStatus.PAUSED])
def test_hyperparameters_change_before_start_and_while_paused(status: RunStatus) -> None:
    session = in_status(status)
    session.set_hyperparameters(HyperparameterUpdate(learning_rate=0.5))
    assert session.hyperparameters.learning_rate == 0.5
    assert session.optimizer.param_groups[0]["lr"] == 0.5
