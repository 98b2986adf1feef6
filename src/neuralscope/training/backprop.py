"""One training step, written out: every forward value, gradient and update of a dense net.

Backpropagation by hand (Rumelhart, Hinton & Williams, 1986), in the notation of Nielsen,
*Neural Networks and Deep Learning*, ch. 2: for layer l, ``z = a_prev W^T + b``, ``a = f(z)``;
going back, ``dL/dz = dL/da * f'(z)``, ``dL/dW = (dL/dz)^T a_prev``, ``dL/db = sum dL/dz``,
``dL/da_prev = dL/dz W``. The loss gradients at the output are the closed forms of the
task's loss (batch mean): BCE-with-logits ``(sigmoid(z) - y) / N``, cross-entropy
``(softmax(z) - onehot(y)) / N``, MSE ``2 (z - y) / N``. An L1 penalty adds
``l1 * sign(W)``. The update each optimizer would apply is written out from PyTorch's
documented algorithms (``torch.optim`` docs: SGD with momentum/Nesterov, Adam, AdamW,
RMSprop, Adagrad), reading the optimizer's own state. Tests check every number against
torch autograd and the real optimizer step.

Pure: tensors in, a pydantic :class:`BackpropTrace` out; it never changes the model.
"""

from __future__ import annotations

import math

import torch
from pydantic import BaseModel, Field
from torch import nn

from neuralscope.data import Task
from neuralscope.nets.build import DerivedFeatures

MAX_TRACE_UNITS = 64
Matrix = list[list[float]]


class TraceUnsupported(ValueError):
    """The model is not a small dense net the trace can write out."""


class LayerTrace(BaseModel):
    """One linear layer (``dense{i}`` or ``output``) and its activation, over the batch."""

    name: str = Field(description="Qualified module name of the linear layer")
    activation: str = Field(description="relu | tanh | sigmoid | linear | gelu (output: linear)")
    pre_activation: Matrix = Field(description="z [sample][unit]")
    activation_value: Matrix = Field(description="a = f(z) [sample][unit]")
    grad_activation: Matrix = Field(description="dL/da [sample][unit]")
    grad_pre_activation: Matrix = Field(description="dL/dz [sample][unit]")
    weight: Matrix = Field(description="W [unit][input], before the update")
    bias: list[float]
    grad_weight: Matrix = Field(description="dL/dW [unit][input] (with the L1 term)")
    grad_bias: list[float]
    update_weight: Matrix = Field(description="W_after - W_before [unit][input]")
    update_bias: list[float]


class NeuronContribution(BaseModel):
    layer: str
    unit: int
    score: float = Field(description="mean over the batch of |activation x dL/dactivation|")


class BackpropTrace(BaseModel):
    """A whole step: inputs -> layers -> loss -> gradients -> updates."""

    step: int = Field(description="The optimizer step this trace is (global_step after it)")
    task: Task
    optimizer: str
    learning_rate: float
    inputs: Matrix = Field(description="The batch after derived features [sample][feature]")
    targets: list[float] = Field(description="Labels (class index or target value) per sample")
    loss: float = Field(description="The data loss (batch mean)")
    penalty: float = Field(description="The L1 penalty added to the loss (0 without L1)")
    layers: list[LayerTrace]
    top_neurons: list[NeuronContribution] = Field(
        description="Hidden neurons by |activation x gradient|, largest first (at most 5)"
    )


_ACT_NAMES: dict[type[nn.Module], str] = {
    nn.ReLU: "relu",
    nn.Tanh: "tanh",
    nn.Sigmoid: "sigmoid",
    nn.Identity: "linear",
    nn.GELU: "gelu",
}


def _act(name: str, z: torch.Tensor) -> torch.Tensor:
    if name == "relu":
        return z.clamp(min=0)
    if name == "tanh":
        return torch.tanh(z)
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "gelu":
        return 0.5 * z * (1 + torch.erf(z / math.sqrt(2)))
    return z


def _act_grad(name: str, z: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    if name == "relu":
        return (z > 0).to(z.dtype)
    if name == "tanh":
        return 1 - a * a
    if name == "sigmoid":
        return a * (1 - a)
    if name == "gelu":  # d/dz z*Phi(z) = Phi(z) + z*phi(z)
        phi = torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        return 0.5 * (1 + torch.erf(z / math.sqrt(2))) + z * phi
    return torch.ones_like(z)


def dense_layers(model: nn.Module) -> tuple[bool, list[tuple[str, nn.Linear, str]]]:
    """(has derived features, [(name, linear, activation name)]) or :class:`TraceUnsupported`."""
    if not isinstance(model, nn.Sequential):
        raise TraceUnsupported("the trace needs a Sequential built from a spec")
    children = list(model.named_children())
    has_features = bool(children) and isinstance(children[0][1], DerivedFeatures)
    children = children[1:] if has_features else children
    layers: list[tuple[str, nn.Linear, str]] = []
    for name, module in children:
        if isinstance(module, nn.Linear):
            if module.out_features > MAX_TRACE_UNITS or module.in_features > MAX_TRACE_UNITS:
                raise TraceUnsupported(f"{name} is wider than {MAX_TRACE_UNITS} units")
            layers.append((name, module, "linear"))
        elif type(module) in _ACT_NAMES and layers and layers[-1][2] == "linear":
            layers[-1] = (layers[-1][0], layers[-1][1], _ACT_NAMES[type(module)])
        else:
            raise TraceUnsupported(f"{name} ({type(module).__name__}) is not a dense layer")
    return has_features, layers


def _output_grad(task: Task, z: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, float]:
    """dL/dz at the output and the loss value, for the batch-mean loss of ``task``."""
    n = z.shape[0]
    if task == "binary":
        loss = (torch.clamp(z, min=0) - z * y + torch.log1p(torch.exp(-z.abs()))).mean()
        return (torch.sigmoid(z) - y) / n, loss.item()
    if task == "multiclass":
        log_p = torch.log_softmax(z, dim=1)
        onehot = torch.nn.functional.one_hot(y, z.shape[1]).to(z.dtype)
        return (log_p.exp() - onehot) / n, (-(log_p * onehot).sum(1).mean()).item()
    err = z - y
    return 2 * err / err.numel(), (err * err).mean().item()


def _update(
    optimizer: torch.optim.Optimizer, p: torch.Tensor, g: torch.Tensor, kind: str
) -> torch.Tensor:
    """The change ``p_after - p`` that ``optimizer`` (named ``kind``) makes with gradient g."""
    group = next(gr for gr in optimizer.param_groups if any(q is p for q in gr["params"]))
    state: dict[str, torch.Tensor] = optimizer.state.get(p, {})
    lr, wd, eps = float(group["lr"]), float(group["weight_decay"]), float(group.get("eps", 0.0))
    step = int(state["step"]) + 1 if "step" in state else 1
    if kind == "adamw":
        decayed, grad = p * (1 - lr * wd), g
    else:
        decayed, grad = p, g + wd * p
    if kind in ("sgd", "momentum", "nesterov"):
        mu, dampening = float(group["momentum"]), float(group["dampening"])
        if mu:
            buf = state.get("momentum_buffer")
            buf = grad.clone() if buf is None else mu * buf + (1 - dampening) * grad
            grad = grad + mu * buf if group["nesterov"] else buf
        return -lr * grad
    if kind in ("adam", "adamw"):
        b1, b2 = (float(b) for b in group["betas"])
        m = torch.lerp(state.get("exp_avg", torch.zeros_like(p)), grad, 1 - b1)
        v = b2 * state.get("exp_avg_sq", torch.zeros_like(p)) + (1 - b2) * grad * grad
        denom = v.sqrt() / math.sqrt(1 - b2**step) + eps
        result: torch.Tensor = decayed - (lr / (1 - b1**step)) * m / denom - p
        return result
    if kind == "rmsprop":
        alpha, mu = float(group["alpha"]), float(group["momentum"])
        sq = alpha * state.get("square_avg", torch.zeros_like(p)) + (1 - alpha) * grad * grad
        avg = sq.sqrt() + eps
        if mu > 0:
            buf = mu * state.get("momentum_buffer", torch.zeros_like(p))
            return -lr * (buf + grad / avg)
        return -lr * grad / avg
    if kind == "adagrad":
        clr = lr / (1 + (step - 1) * float(group["lr_decay"]))
        total = state.get("sum", torch.full_like(p, float(group["initial_accumulator_value"])))
        return -clr * grad / ((total + grad * grad).sqrt() + eps)
    raise TraceUnsupported(f"no written-out update for optimizer {kind!r}")


def trace_step(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    task: Task,
    optimizer: torch.optim.Optimizer,
    optimizer_name: str,
    *,
    l1: float = 0.0,
    step: int = 0,
) -> BackpropTrace:
    """Write out one step of ``model`` on batch ``(x, y)`` without changing anything.

    ``optimizer`` (whose kind ``optimizer_name`` is, e.g. ``"nesterov"``) supplies the
    hyperparameters and state for the updates. ``step`` labels the trace.
    """
    has_features, layers = dense_layers(model)
    with torch.no_grad():
        a = derive_inputs(model, x) if has_features else x
        inputs, values = a, []
        for _name, linear, act in layers:
            z = a @ linear.weight.T + linear.bias
            a_new = _act(act, z)
            values.append((a, z, a_new))
            a = a_new
        grad_z, loss = _output_grad(task, a, y)
        penalty = 0.0
        traces: list[LayerTrace] = []
        grad_a = grad_z  # at the output, a = z (linear)
        for (name, linear, act), (a_prev, z, a_out) in zip(
            reversed(layers), reversed(values), strict=True
        ):
            grad_z = grad_a * _act_grad(act, z, a_out)
            w, b = linear.weight, linear.bias
            grad_w = grad_z.T @ a_prev + l1 * torch.sign(w)
            grad_b = grad_z.sum(0)
            penalty += l1 * w.abs().sum().item()
            traces.append(
                LayerTrace(
                    name=name,
                    activation=act,
                    pre_activation=z.tolist(),
                    activation_value=a_out.tolist(),
                    grad_activation=grad_a.tolist(),
                    grad_pre_activation=grad_z.tolist(),
                    weight=w.tolist(),
                    bias=b.tolist(),
                    grad_weight=grad_w.tolist(),
                    grad_bias=grad_b.tolist(),
                    update_weight=_update(optimizer, w, grad_w, optimizer_name).tolist(),
                    update_bias=_update(optimizer, b, grad_b, optimizer_name).tolist(),
                )
            )
            grad_a = grad_z @ w
        traces.reverse()
        lr = float(optimizer.param_groups[0]["lr"])
    return BackpropTrace(
        step=step,
        task=task,
        optimizer=optimizer_name,
        learning_rate=lr,
        inputs=inputs.tolist(),
        targets=[float(v) for v in y.reshape(-1).tolist()],
        loss=loss,
        penalty=penalty,
        layers=traces,
        top_neurons=_top_neurons(traces[:-1]),
    )


def derive_inputs(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The model's inputs after its ``features`` module (the first linear layer's input)."""
    first = next(iter(model.children()))
    return first(x) if isinstance(first, DerivedFeatures) else x


def _top_neurons(hidden: list[LayerTrace], k: int = 5) -> list[NeuronContribution]:
    scores = [
        NeuronContribution(layer=t.name, unit=u, score=float(s))
        for t in hidden
        for u, s in enumerate(
            (torch.tensor(t.activation_value) * torch.tensor(t.grad_activation))
            .abs()
            .mean(0)
            .tolist()
        )
    ]
    return sorted(scores, key=lambda c: c.score, reverse=True)[:k]
