"""The report's figures, drawn with matplotlib's Agg backend (no display needed).

Each function takes the run's :class:`ReportData` and a path, writes one PNG, and returns the
one-line "what this run shows" text for the page (or None when the run has nothing to draw).
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from neuralscope.events import Histogram, HistogramSource
from neuralscope.report.data import ReportData

MAX_CURVES = 6


def _save(fig: Figure, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _grid(n: int, width: int = 3) -> tuple[int, int]:
    cols = min(n, width)
    return math.ceil(n / cols), cols


def samples(data: ReportData, path: Path) -> str | None:
    with_images = [(s, p) for s, p in data.samples if p.images is not None]
    if not with_images:
        return None
    step, payload = with_images[-1]
    assert payload.images is not None
    images = payload.images.to_numpy()
    rows, cols = _grid(len(images), 8)
    fig, axes = plt.subplots(rows, cols, figsize=(1.4 * cols, 1.6 * rows), squeeze=False)
    wrong = 0
    for ax in axes.flat:
        ax.axis("off")
    for i, ax in enumerate(axes.flat[: len(images)]):
        ok = payload.predictions[i] == payload.targets[i]
        wrong += not ok
        ax.imshow(images[i], cmap="gray")
        ax.set_title(
            f"{payload.predictions[i]} ({payload.confidences[i]:.2f})\ntrue {payload.targets[i]}",
            fontsize=7,
            color="green" if ok else "red",
        )
    fig.suptitle(f"Sample {payload.split} inputs at step {step}: prediction (confidence)")
    _save(fig, path)
    return (
        f"{len(images) - wrong} of {len(images)} samples at step {step} were predicted correctly."
    )


def _by_name(
    data: ReportData, sources: set[HistogramSource]
) -> dict[str, list[tuple[int, Histogram]]]:
    out: dict[str, list[tuple[int, Histogram]]] = defaultdict(list)
    for step, payload in data.histograms:
        for h in payload.histograms:
            if h.source in sources:
                out[h.name].append((step, h))
    return out


def _pick(items: list[tuple[int, Histogram]]) -> list[tuple[int, Histogram]]:
    if len(items) <= MAX_CURVES:
        return items
    idx = np.linspace(0, len(items) - 1, MAX_CURVES).round().astype(int)
    return [items[i] for i in sorted(set(idx.tolist()))]


def _histogram_panels(
    groups: dict[str, list[tuple[int, Histogram]]], title: str, path: Path
) -> None:
    rows, cols = _grid(len(groups))
    fig, axes = plt.subplots(rows, cols, figsize=(max(4.2 * cols, 7), 2.8 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, (name, items) in zip(axes.flat, groups.items(), strict=False):
        ax.axis("on")
        chosen = _pick(items)
        colors = plt.cm.viridis(np.linspace(0, 1, len(chosen)))
        for color, (step, h) in zip(colors, chosen, strict=True):
            edges = np.linspace(h.lo, h.hi, len(h.counts) + 1)
            total = max(sum(h.counts), 1)
            ax.stairs(np.asarray(h.counts) / total, edges, color=color, label=f"step {step}")
        ax.set_title(name, fontsize=9)
        ax.legend(fontsize=6)
    fig.suptitle(title)
    _save(fig, path)


def weights(data: ReportData, path: Path) -> str | None:
    groups = _by_name(data, {"weight", "bias"})
    if not groups:
        return None
    _histogram_panels(groups, "Weight and bias distributions over training (share per bin)", path)
    spreads = []
    for name, items in groups.items():
        (_, first), (_, last) = items[0], items[-1]
        spreads.append(
            f"{name}: range [{first.lo:.3g}, {first.hi:.3g}] -> [{last.lo:.3g}, {last.hi:.3g}]"
        )
    return "; ".join(spreads) + "."


def activations(data: ReportData, path: Path) -> str | None:
    groups = _by_name(data, {"activation"})
    if not groups:
        return None
    _histogram_panels(groups, "Activation distributions over training (share per bin)", path)
    if not data.layer_stats:
        return None
    _, last = data.layer_stats[-1]
    return (
        "Last capture: "
        + "; ".join(
            f"{s.layer}: {s.dead_fraction:.0%} units silent on the batch, mean {s.mean:.3g}"
            for s in last.layers
        )
        + f" ({last.probe})."
    )


def gradients(data: ReportData, path: Path) -> str | None:
    mean = {
        k[len("grad_mean_abs/") :]: v
        for k, v in data.series.items()
        if k.startswith("grad_mean_abs/")
    }
    ratio = {
        k[len("update_ratio/") :]: v
        for k, v in data.series.items()
        if k.startswith("update_ratio/")
    }
    if not mean:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    for name, s in mean.items():
        if name.endswith("weight"):
            ax1.semilogy(s.steps, s.values, label=name)
    ax1.set(title="Gradient flow: mean |grad| per layer", xlabel="step")
    ax1.legend(fontsize=7)
    for name, s in ratio.items():
        ax2.semilogy(s.steps, s.values, label=name)
    for y, style in ((1e-3, "-"), (1e-4, ":"), (1e-2, ":")):
        ax2.axhline(y, color="grey", linestyle=style, linewidth=0.8)
    ax2.set(title="Update / weight ratio (want ~1e-3; dotted: 1e-4, 1e-2)", xlabel="step")
    ax2.legend(fontsize=7)
    _save(fig, path)
    if not ratio:
        return None
    medians = {n: float(np.median(s.values)) for n, s in ratio.items()}
    return "Median update ratios: " + ", ".join(f"{n} {v:.1e}" for n, v in medians.items()) + "."


def progress(data: ReportData, path: Path) -> str | None:
    loss = data.series.get("train/loss")
    if loss is None:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    ax1.plot(loss.steps, loss.values, alpha=0.5, label="train (batches)")
    for split in ("train", "val"):
        epoch = data.series.get(f"epoch/{split}_loss")
        if epoch:
            ax1.plot(epoch.steps, epoch.values, marker="o", label=f"{split} (epoch mean)")
        acc = data.series.get(f"epoch/{split}_accuracy")
        if acc:
            ax2.plot(acc.steps, acc.values, marker="o", label=split)
    ax1.set(title="Loss", xlabel="step", yscale="log")
    ax2.set(title="Accuracy per epoch", xlabel="step", ylim=(0, 1.02))
    ax1.legend(fontsize=7)
    ax2.legend(fontsize=7)
    _save(fig, path)
    text = f"Training loss went from {loss.values[0]:.3g} to {loss.values[-1]:.3g}."
    val = data.series.get("epoch/val_accuracy")
    if val:
        text += f" Final validation accuracy {val.values[-1]:.3f}."
    return text


def confidence(data: ReportData, path: Path) -> str | None:
    if not data.calibration:
        return None
    splits = {c.split for _, c in data.calibration}
    split = "val" if "val" in splits else sorted(splits)[0]
    cals = [(s, c) for s, c in data.calibration if c.split == split]
    chosen = (
        cals
        if len(cals) <= MAX_CURVES
        else [cals[i] for i in np.linspace(0, len(cals) - 1, MAX_CURVES).round().astype(int)]
    )
    fig, axes = plt.subplots(
        1, len(chosen) + 1, figsize=(2.6 * (len(chosen) + 1), 3.0), squeeze=False
    )
    edges = np.linspace(0, 1, len(chosen[0][1].hist_correct) + 1)
    for ax, (step, c) in zip(axes[0], chosen, strict=False):
        ax.stairs(c.hist_correct, edges, color="green", label="correct")
        ax.stairs(c.hist_incorrect, edges, color="red", label="wrong")
        ax.set_title(f"step {step}\nacc {c.accuracy:.2f}, ECE {c.ece:.3f}", fontsize=8)
        ax.set_xlabel("confidence", fontsize=7)
    axes[0][0].legend(fontsize=6)
    last_step, last = cals[-1]
    ax = axes[0][-1]
    filled = [b for b in last.bins if b.count]
    ax.bar(
        [(b.lo + b.hi) / 2 for b in filled],
        [b.accuracy for b in filled],
        width=1 / 15,
        alpha=0.6,
        edgecolor="k",
    )
    ax.plot([0, 1], [0, 1], "k--", linewidth=0.8)
    ax.set_title(f"Reliability at step {last_step}", fontsize=8)
    ax.set(xlabel="confidence", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1))
    fig.suptitle(f"Confidence of correct vs wrong {split} predictions, per epoch")
    _save(fig, path)
    sign = "over-confident" if last.signed_gap > 0 else "under-confident"
    p = "" if last.p_value is None else f", resampling p = {last.p_value:.3g}"
    au = "" if last.auroc is None else f"; AUROC correct vs wrong {last.auroc:.3f}"
    return f"Last {split} epoch: ECE {last.ece:.3f} ({sign} by {abs(last.signed_gap):.3f}{p}){au}."
