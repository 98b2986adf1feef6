"""Oracle tests: every number of the written-out step equals torch autograd and torch.optim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import nn

from neuralscope.data import DataConfig
from neuralscope.nets import NetSpec
from neuralscope.training import (
    Hyperparameters,
    IllegalTransition,
    OptimizerName,
    Session,
    SessionConfig,
)
from neuralscope.training.backprop import TraceUnsupported

ATOL = 1e-6


def _session(
    dataset: str, activation: str, optimizer: OptimizerName, *, l1: float = 0.0, wd: float = 0.0
) -> Session:
    config = SessionConfig(
        spec=NetSpec.model_validate(
            {
                "layers": [
                    {"units": 5, "activation": activation},
                    {"units": 3, "activation": activation},
                ]
            }
        ),
        data=DataConfig(
            dataset=dataset, n_samples=60, features=["x1_x2"] if dataset == "xor" else []
        ),  # type: ignore[arg-type]
        hyperparameters=Hyperparameters(
            optimizer=optimizer, learning_rate=0.05, batch_size=7, l1=l1, weight_decay=wd
        ),
        seed=3,
    )
    session = Session(config)
    session.start()
    for _ in range(3):  # non-trivial optimizer state (momentum buffers, Adam moments)
        session.step()
    session.pause()
    return session


def _autograd(session: Session, x: torch.Tensor, y: torch.Tensor) -> dict[str, Any]:
    """Activations, dL/da and dL/dW by autograd on a copy of the model before the step."""
    outputs: dict[str, torch.Tensor] = {}
    model = session.model

    def keep(name: str) -> Callable[[nn.Module, object, torch.Tensor], None]:
        def hook(_m: nn.Module, _i: object, out: torch.Tensor) -> None:
            if out.requires_grad:
                out.retain_grad()
            outputs[name] = out

        return hook

    handles = [m.register_forward_hook(keep(n)) for n, m in model.named_children()]
    model.zero_grad()
    out = model(x)
    loss = session._loss_fn(out, y)  # the Session's own loss module
    penalty = session.l1_penalty()
    (loss if penalty is None else loss + penalty).backward()
    for h in handles:
        h.remove()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}  # type: ignore[union-attr]
    return {"outputs": outputs, "grads": grads, "loss": loss.item()}


CASES = [
    ("circle", "tanh", "sgd"),
    ("circle", "relu", "momentum"),
    ("xor", "sigmoid", "nesterov"),
    ("blobs", "gelu", "adam"),
    ("blobs", "tanh", "adamw"),
    ("plane", "relu", "rmsprop"),
    ("sine", "linear", "adagrad"),
]


@pytest.mark.parametrize(("dataset", "activation", "optimizer"), CASES)
def test_trace_equals_autograd_and_the_real_update(
    dataset: str, activation: str, optimizer: OptimizerName
) -> None:
    session = _session(dataset, activation, optimizer, l1=0.01, wd=0.001)
    twin = _session(dataset, activation, optimizer, l1=0.01, wd=0.001)  # same state, same batch
    before = {n: p.detach().clone() for n, p in session.model.named_parameters()}
    x, y = twin.next_batch()
    reference = _autograd(twin, x, y)
    result, trace = session.trace_step()
    assert result.step == trace.step == 4
    assert trace.loss == pytest.approx(reference["loss"], abs=ATOL)
    for layer in trace.layers:
        name = layer.name
        act_name = "output" if name == "output" else name.replace("dense", "act")
        z = reference["outputs"][name]
        a = reference["outputs"][act_name]
        torch.testing.assert_close(
            torch.tensor(layer.pre_activation), z.detach(), atol=ATOL, rtol=1e-5
        )
        torch.testing.assert_close(
            torch.tensor(layer.activation_value), a.detach(), atol=ATOL, rtol=1e-5
        )
        torch.testing.assert_close(
            torch.tensor(layer.grad_activation), a.grad, atol=ATOL, rtol=1e-5
        )
        torch.testing.assert_close(
            torch.tensor(layer.grad_pre_activation), z.grad, atol=ATOL, rtol=1e-5
        )
        torch.testing.assert_close(
            torch.tensor(layer.grad_weight),
            reference["grads"][f"{name}.weight"],
            atol=ATOL,
            rtol=1e-5,
        )
        torch.testing.assert_close(
            torch.tensor(layer.grad_bias), reference["grads"][f"{name}.bias"], atol=ATOL, rtol=1e-5
        )
        after = dict(session.model.named_parameters())
        for kind in ("weight", "bias"):
            real = after[f"{name}.{kind}"].detach() - before[f"{name}.{kind}"]
            written = torch.tensor(getattr(layer, f"update_{kind}"))
            torch.testing.assert_close(written, real, atol=1e-6, rtol=1e-4)
    assert trace.optimizer == optimizer


def test_top_neurons_rank_by_activation_times_gradient() -> None:
    session = _session("circle", "tanh", "sgd")
    _, trace = session.trace_step()
    scores = {
        (t.name, u): (
            torch.tensor(t.activation_value)[:, u] * torch.tensor(t.grad_activation)[:, u]
        )
        .abs()
        .mean()
        .item()
        for t in trace.layers[:-1]
        for u in range(len(t.bias))
    }
    expected = sorted(scores, key=lambda k: scores[k], reverse=True)[:5]
    assert [(c.layer, c.unit) for c in trace.top_neurons] == expected


def test_trace_step_is_a_normal_step() -> None:
    traced, plain = _session("circle", "tanh", "adam"), _session("circle", "tanh", "adam")
    traced.trace_step()
    plain.resume()
    plain.step()
    for p, q in zip(traced.model.parameters(), plain.model.parameters(), strict=True):
        assert torch.equal(p, q)
    assert traced.global_step == plain.global_step == 4


def test_trace_refuses_running_sessions_and_conv_nets() -> None:
    session = _session("circle", "tanh", "sgd")
    session.resume()
    with pytest.raises(IllegalTransition):
        session.trace_step()
    cnn = SessionConfig(
        spec=NetSpec.model_validate({"layers": [{"type": "flatten"}, {"units": 8}]}),
        data=DataConfig(dataset="digits", n_samples=50),
    )
    with pytest.raises(TraceUnsupported, match="flatten"):
        Session(cnn).trace_step()
    wide = SessionConfig(spec=NetSpec.mlp([65]))
    with pytest.raises(TraceUnsupported, match="64"):
        Session(wide).trace_step()
