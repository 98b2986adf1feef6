"""``index.html``: each figure with what it shows, what to look for, and what this run shows."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from neuralscope.findings import FINDING_CODES, Finding
from neuralscope.report.data import ReportData


@dataclass(frozen=True)
class FigureText:
    file: str
    title: str
    shows: str
    look_for: str


FIGURES = [
    FigureText(
        "progress.png",
        "Training progress",
        "Loss of every sampled training batch, epoch means of training and validation loss, "
        "and accuracy per epoch.",
        "A falling training loss; validation loss that follows it. Validation loss rising while "
        "training loss falls is overfitting (Prechelt 1998); a flat curve is a plateau.",
    ),
    FigureText(
        "samples.png",
        "Sample inputs",
        "A few inputs with the model's prediction, its confidence and the true label "
        "(green: correct, red: wrong).",
        "Wrong predictions made with high confidence; inputs that look mislabelled.",
    ),
    FigureText(
        "weights.png",
        "Weight and bias distributions",
        "Histograms of every parameter at several steps (dark: early, yellow: late).",
        "Distributions that collapse to 0 (vanishing), blow up (exploding), or never move "
        "from initialization (the layer does not learn).",
    ),
    FigureText(
        "activations.png",
        "Activations per epoch",
        "Histograms of each watched layer's output on captured training batches over time.",
        "A spike at exactly 0 for ReLU layers (dead units); mass piled at +-1 for tanh or "
        "0/1 for sigmoid (saturation, Glorot & Bengio 2010).",
    ),
    FigureText(
        "gradients.png",
        "Gradient flow and update ratios",
        "Mean |gradient| per layer and the update-to-weight ratio ||dW||/||W|| per step.",
        "Early layers' gradients orders of magnitude below the last layer's (vanishing, "
        "Pascanu et al. 2013); update ratios far from ~1e-3 (Karpathy, CS231n notes).",
    ),
    FigureText(
        "confidence.png",
        "Prediction confidence, correct vs wrong",
        "Histograms of the max softmax probability for correct and wrong predictions per "
        "epoch, and the reliability diagram of the last epoch (15 bins).",
        "Correct predictions moving to high confidence while wrong ones stay low (AUROC, "
        "Hendrycks & Gimpel 2017); bars below the diagonal mean over-confidence (Guo et al. "
        "2017). ECE is never 0 by chance: its p-value comes from consistency resampling.",
    ),
]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
img{max-width:100%;border:1px solid #ddd}
.finding{margin:.4em 0;padding:.4em .6em;border-left:4px solid #999;background:#fafafa}
.good{border-color:#2a2}.warn{border-color:#d80}.opp{border-color:#28c}
.src{color:#666;font-size:.85em}
"""


def _finding(f: Finding, css: str) -> str:
    source = FINDING_CODES[f.code].source if f.code in FINDING_CODES else ""
    layer = f" <b>{escape(f.layer)}</b>" if f.layer else ""
    evidence = ", ".join(f"{escape(k)}={escape(str(v))}" for k, v in f.evidence.items())
    return (
        f'<div class="finding {css}"><b>{escape(FINDING_CODES[f.code].title)}</b>{layer}: '
        f"{escape(f.message)} <i>{escape(f.recommendation)}</i>"
        f'<div class="src">Evidence: {evidence}. Rule: {escape(source)}</div></div>'
    )


def _section(title: str, findings: list[Finding], css: str, empty: str) -> str:
    body = "".join(_finding(f, css) for f in findings) or f"<p>{escape(empty)}</p>"
    return f"<h3>{escape(title)}</h3>{body}"


def render_page(data: ReportData, shown: dict[str, str | None]) -> str:
    """The page; ``shown`` maps a figure file that was drawn to its run-specific sentence."""
    run = data.run
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>neuralscope report: {escape(run.name)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(run.name)}</h1>",
        f"<p>Run <code>{escape(run.id)}</code> ({escape(run.kind)}), "
        f"status {escape(run.status.value)}, "
        f"{run.last_step} steps. Model {escape(str(run.config.get('model', '?')))} with "
        f"{escape(str(run.config.get('parameters', '?')))} parameters.</p>",
        "<h2>What this run shows</h2>",
        _section("Warning signs", data.warnings, "warn", "No warning signs were raised."),
        _section("Good signs", data.good_signs, "good", "No good signs were established."),
        _section("Opportunities", data.opportunities, "opp", "No opportunities were found."),
        "<h2>Figures</h2>",
    ]
    for fig in FIGURES:
        if fig.file not in shown:
            continue
        sentence = shown[fig.file]
        parts += [
            f"<h3>{escape(fig.title)}</h3>",
            f'<img src="{fig.file}" alt="{escape(fig.title)}">',
            f"<p><b>What it shows.</b> {escape(fig.shows)}</p>",
            f"<p><b>What to look for.</b> {escape(fig.look_for)}</p>",
        ]
        if sentence:
            parts.append(f"<p><b>In this run.</b> {escape(sentence)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
