"""A module's metrics in isolation (SCIENCE.md section 4.3).

* Importance: loss increase when the module is mean-ablated (Meyes et al. 2019), as a share
  of the layer's modules (Hod et al. 2022), with its percentile against random unit sets of
  the same size (the statistical control of section 4.3).
* Keep-only (sufficiency) and ablate-only (necessity): accuracy and per-class
  precision/recall/F1 of the model's outputs.
* Decodability: an L2 logistic-regression probe on the module's activations, accuracy by
  stratified-free k-fold held-out CV (Alain & Bengio 2016).
* Class selectivity (Morcos et al., ICLR 2018): (mu_max - mu_rest) / (mu_max + mu_rest) of a
  unit's class-conditional mean activation, activations shifted to be >= 0, averaged over the
  module's units. Leavitt & Morcos (ICLR 2021): selectivity is not needed for function.
"""

from __future__ import annotations

import numpy as np
import torch

from neuralscope.decomposition._probe import is_binary, split_tasks
from neuralscope.decomposition.results import TaskScores
from neuralscope.decomposition.strategies import FloatArray, IntArray


def class_scores(predicted: IntArray, labels: IntArray, classes: int, task: int) -> TaskScores:
    """Accuracy and per-class precision/recall/F1 (0 where undefined, as scikit-learn's
    ``zero_division=0``)."""
    confusion = np.zeros((classes, classes), dtype=np.float64)
    np.add.at(confusion, (labels, predicted), 1.0)
    tp = np.diag(confusion)
    predicted_n, actual_n = confusion.sum(axis=0), confusion.sum(axis=1)
    precision = np.divide(tp, predicted_n, out=np.zeros(classes), where=predicted_n > 0)
    recall = np.divide(tp, actual_n, out=np.zeros(classes), where=actual_n > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros(classes), where=denom > 0)
    return TaskScores(
        task=task,
        accuracy=float(tp.sum() / max(labels.size, 1)),
        precision=precision.tolist(),
        recall=recall.tolist(),
        f1=f1.tolist(),
    )


def output_scores(outputs: torch.Tensor, targets: torch.Tensor) -> list[TaskScores]:
    """Scores of model outputs (n, out) per task; empty for regression targets."""
    if targets.dtype.is_floating_point and not is_binary(outputs, targets):
        return []
    scores = []
    for t, (logits, labels) in enumerate(split_tasks(outputs, targets)):
        pred = logits.argmax(dim=-1).cpu().numpy().astype(np.int64)
        y = labels.cpu().numpy().astype(np.int64)
        scores.append(class_scores(pred, y, int(logits.shape[-1]), t))
    return scores


def task_labels(targets: torch.Tensor, binary: bool) -> list[IntArray]:
    """Integer labels per task ([] for regression targets)."""
    if targets.dtype.is_floating_point and not binary:
        return []
    t = targets.reshape(targets.shape[0], -1).cpu().numpy().astype(np.int64)
    return [t[:, j] for j in range(t.shape[1])]


def _fit_stacked(
    x: torch.Tensor, y: torch.Tensor, train: torch.Tensor, classes: int
) -> torch.Tensor:
    """Weights (folds, features + 1, classes) of L2-regularised softmax regressions, one per
    fold f on the rows of ``x[f]`` (folds, n, features) where ``train[f]`` is True, fitted
    jointly by one LBFGS: the objective is a sum of independent convex terms, so its minimum
    is each fold's own minimum (one optimiser instead of one per fold: fewer Python-bound
    iterations)."""
    folds, n, _ = x.shape
    xb = torch.cat([x, torch.ones(folds, n, 1, dtype=x.dtype)], dim=2)
    w = torch.zeros(folds, xb.shape[2], classes, dtype=torch.float64, requires_grad=True)
    weight = train.double() / train.sum(dim=1, keepdim=True).double()  # a mean per fold
    opt = torch.optim.LBFGS([w], max_iter=100, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        logits = torch.bmm(xb, w)  # (folds, n, classes)
        ce = torch.nn.functional.cross_entropy(
            logits.reshape(-1, classes), y.repeat(folds), reduction="none"
        ).reshape(folds, n)
        loss = (ce * weight).sum() + 1e-3 * (w[:, :-1] ** 2).sum()
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    with torch.enable_grad():
        opt.step(closure)  # type: ignore[no-untyped-call]
    return w.detach()


def probe_accuracy(features: FloatArray, labels: IntArray, folds: int, seed: int) -> float:
    """Held-out k-fold accuracy of an L2 logistic regression (LBFGS) on ``features``
    (standardised with each fold's training mean and sd)."""
    n = labels.size
    classes = int(labels.max()) + 1
    order = np.random.default_rng(seed).permutation(n)
    tests = [order[f::folds] for f in range(folds)]
    train = np.ones((folds, n), dtype=bool)
    for f, test in enumerate(tests):
        train[f, test] = False
    # standardise per fold: x_f = (x - mu_f) / sd_f, fitted jointly on the stacked folds
    xs = []
    for f in range(folds):
        mu, sd = features[train[f]].mean(axis=0), features[train[f]].std(axis=0) + 1e-8
        xs.append((features - mu) / sd)
    stacked = torch.as_tensor(np.stack(xs), dtype=torch.float64)  # (folds, n, d)
    w = _fit_stacked(stacked, torch.as_tensor(labels), torch.as_tensor(train), classes)
    correct = 0
    for f, test in enumerate(tests):
        xt = stacked[f, test]
        logits = torch.cat([xt, torch.ones(xt.shape[0], 1, dtype=xt.dtype)], dim=1) @ w[f]
        correct += int((logits.argmax(dim=1).numpy() == labels[test]).sum())
    return correct / n


def selectivity(acts: FloatArray, labels: IntArray) -> tuple[float, int]:
    """Mean Morcos class selectivity of the columns of ``acts`` and the module's top class."""
    classes = int(labels.max()) + 1
    shifted = acts - acts.min(axis=0)
    means = np.stack(
        [
            shifted[labels == c].mean(axis=0) if np.any(labels == c) else np.zeros(acts.shape[1])
            for c in range(classes)
        ]
    )  # (classes, units)
    top = means.max(axis=0)
    rest = (means.sum(axis=0) - top) / max(classes - 1, 1)
    denom = top + rest
    sel = np.divide(top - rest, denom, out=np.zeros_like(top), where=denom > 0)
    standardised = (acts - acts.mean(axis=0)) / (acts.std(axis=0) + 1e-12)
    drive = np.stack([standardised[labels == c].mean(axis=0).mean() for c in range(classes)])
    return float(sel.mean()), int(np.argmax(np.nan_to_num(drive, nan=-np.inf)))


def function_label(
    probe: list[float], chance: list[float], preferred: list[int], selectivity: float
) -> str:
    """Words for what drives a module, from its probe accuracy, preferred classes and mean
    selectivity ("detects" needs selectivity >= 0.3, heuristic; otherwise "encodes")."""
    if not probe:
        return "regression target: see importance"
    lifts = [p - c for p, c in zip(probe, chance, strict=True)]
    informative = [t for t, lift in enumerate(lifts) if lift > 0.05]
    if not informative:
        return "uninformative: probe at chance on every task"
    best = max(informative, key=lambda t: lifts[t])
    task = f" (task {best})" if len(probe) > 1 else ""
    score = f"probe {probe[best]:.2f} vs chance {chance[best]:.2f}"
    if selectivity >= 0.3:
        return f"detects class {preferred[best]}{task}; {score}"
    return f"encodes the classes{task}; {score}; strongest drive: class {preferred[best]}"


def top_pattern(inputs: torch.Tensor, module_acts: FloatArray, share: float = 0.05) -> np.ndarray:
    """Mean input of the samples that drive the module hardest (top ``share`` by mean z)."""
    z = (module_acts - module_acts.mean(axis=0)) / (module_acts.std(axis=0) + 1e-12)
    score = z.mean(axis=1)
    count = max(1, round(share * score.size))
    top = np.argsort(score)[-count:]
    x = inputs.detach().double().cpu().numpy()
    return np.asarray(x[top].mean(axis=0), dtype=np.float64)
