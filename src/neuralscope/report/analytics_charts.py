"""Weight histograms and eigenvalue spectra of the HTML model report, as inline SVG.

Histograms: small multiples, one per layer with a weight tensor, drawn from the bins the report
already holds (``WeightStats.histogram``, a strided sample above 2^16 elements), never
recomputed. ESD: the empirical spectral density of X = W^T W per layer on log-log axes, as in
WeightWatcher's plots (Martin & Mahoney, JMLR 2021): log-spaced bins of the stored eigenvalues
(the largest 512; every eigenvalue above the smallest stored one is stored, so those bins are
exact) with density count / (n_evals * bin width); the fitted power law
p(lambda) = C lambda^-alpha from lambda_0 = max(xmin, smallest stored eigenvalue) up, with C set
so the tail mass above lambda_0 equals the observed fraction (C = k/n (alpha-1)/lambda_0^(1-alpha),
the MLE density when lambda_0 = xmin; Clauset, Shalizi & Newman 2009), so its slope is -alpha;
and the Marchenko-Pastur bulk edge (``mp_edge`` is for X / max(M, N), so it is drawn at
mp_edge * max(M, N)). The ``svg`` carries its axes' log10 ranges and plot box as data
attributes, so a test can read the fit's slope back from the path.
"""

from __future__ import annotations

import math
from html import escape

from neuralscope.analysis import ModelReport
from neuralscope.analysis.spectral import SpectralStats
from neuralscope.analysis.weights import WeightStats

ESD_SHOWN = 12
CHART_STYLE = """
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:.8em}
.multiples figure{margin:0;padding:.4em;border:1px solid #e3e6ea;border-radius:6px;
break-inside:avoid}
.multiples figcaption{font-size:.8em;overflow-wrap:anywhere}
.multiples svg{width:100%;height:auto;display:block}
.hist-bar{fill:#4a7bd0}.range{display:flex;justify-content:space-between;font-size:.72em;color:#666}
.bad{color:#b91c1c;font-weight:600}
.esd-grid{grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}
.axis{stroke:#5f6b7a;stroke-width:1}.tick{font-size:9px;fill:#5f6b7a}
.esd-point{fill:#2563eb}.esd-fit{stroke:#d97706;stroke-width:2;fill:none}
.esd-mp{stroke:#15803d;stroke-width:1.2;stroke-dasharray:4 3}.mp-label{font-size:9px;fill:#15803d}
"""


def _g(x: float) -> str:
    return f"{x:.3g}"


def layer_weights(report: ModelReport) -> list[tuple[str, WeightStats]]:
    """``(layer, stats of its weight tensor)`` for each layer with a weight of > 1 element:
    the tensor named ``weight``, else the first whose name contains it (``in_proj_weight``)."""
    stats = {w.name: w for w in report.weights}
    out = []
    for layer in report.layers:
        keys = [k for k in layer.shapes if k == "weight"] or [
            k for k in layer.shapes if "weight" in k
        ]
        names = [f"{layer.name}.{k}" if layer.name else k for k in keys[:1]]
        out += [(layer.name, stats[n]) for n in names if n in stats and stats[n].numel > 1]
    return out


def _histogram(layer: str, w: WeightStats) -> str:
    counts, edges = w.histogram.counts, w.histogram.edges
    top = max([1, *counts])
    width, height = 200.0, 60.0
    step = width / max(1, len(counts))
    bars = "".join(
        f"M{i * step:.2f} {height}v{-height * c / top:.2f}h{max(step - 0.4, 0.2):.2f}V{height}z"
        for i, c in enumerate(counts)
        if c > 0
    )
    lo, hi = (edges[0], edges[-1]) if edges else (w.min, w.max)
    seen = (
        f"{w.histogram.sampled} of {w.numel} (strided)"
        if w.histogram.sampled < w.numel - w.nan_count - w.inf_count
        else f"{w.histogram.sampled} values"
    )
    bad = (
        f'<div class="bad">{w.nan_count} NaN, {w.inf_count} Inf not drawn</div>'
        if w.nan_count or w.inf_count
        else ""
    )
    return (
        f'<figure class="hist" data-layer="{escape(layer)}">'
        f"<figcaption><code>{escape(w.name)}</code> "
        f"{'&times;'.join(map(str, w.shape))}</figcaption>"
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Histogram of '
        f'{escape(w.name)} from {_g(lo)} to {_g(hi)}"><path class="hist-bar" d="{bars}"/></svg>'
        f'<div class="range"><span>{_g(lo)}</span><span>{seen}</span><span>{_g(hi)}</span></div>'
        f"{bad}</figure>"
    )


def weight_histograms(report: ModelReport) -> str:
    shown = layer_weights(report)
    if not shown:
        return "<p>No layer has a weight tensor to draw.</p>"
    return (
        "<p>Distribution of each layer's weights (a strided sample above 65,536 values), "
        "between its minimum and maximum.</p>"
        f'<div class="multiples" id="weight-histograms">'
        f"{''.join(_histogram(layer, w) for layer, w in shown)}</div>"
    )


class _Axes:
    """A log10 data box mapped onto the plot area of a W x H drawing."""

    W, H, LEFT, RIGHT, TOP, BOTTOM = 300.0, 200.0, 40.0, 8.0, 18.0, 30.0

    def __init__(self, xs: list[float], ys: list[float]) -> None:
        self.x0, self.x1 = min(xs), max(xs)
        self.y0, self.y1 = min(ys), max(ys)
        if self.x1 - self.x0 < 1e-9:
            self.x0, self.x1 = self.x0 - 0.5, self.x1 + 0.5
        if self.y1 - self.y0 < 1e-9:
            self.y0, self.y1 = self.y0 - 0.5, self.y1 + 0.5

    def sx(self, x: float) -> float:
        span = self.W - self.LEFT - self.RIGHT
        return self.LEFT + (x - self.x0) / (self.x1 - self.x0) * span

    def sy(self, y: float) -> float:
        span = self.H - self.TOP - self.BOTTOM
        return self.TOP + (self.y1 - y) / (self.y1 - self.y0) * span

    def attrs(self) -> str:
        box = f"{self.LEFT} {self.TOP} {self.W - self.RIGHT} {self.H - self.BOTTOM}"
        return (
            f'data-log-x="{self.x0!r} {self.x1!r}" data-log-y="{self.y0!r} {self.y1!r}" '
            f'data-plot="{box}"'
        )

    def ticks(self) -> str:
        """Decade ticks (10^k) inside each range; the two ends when no decade falls inside."""
        out = []
        xs = range(math.ceil(self.x0), math.floor(self.x1) + 1)
        for k in xs or (self.x0, self.x1):
            x = self.sx(k)
            out.append(
                f'<text class="tick" x="{x:.1f}" y="{self.H - self.BOTTOM + 11:.0f}" '
                f'text-anchor="middle">{_g(10.0**k)}</text>'
            )
        ys = range(math.ceil(self.y0), math.floor(self.y1) + 1)
        for k in ys or (self.y0, self.y1):
            out.append(
                f'<text class="tick" x="{self.LEFT - 3:.0f}" y="{self.sy(k) + 3:.1f}" '
                f'text-anchor="end">{_g(10.0**k)}</text>'
            )
        return "".join(out)


def esd_points(s: SpectralStats) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """``(log10 bin centre, log10 density)`` of the non-empty bins, and ``(log10 C, lambda_0)``
    of the fitted power law (None without a fit)."""
    top = s.evals[0] if s.evals else 0.0
    evals = [v for v in s.evals if v > 1e-6 * top and v > 0]
    if len(evals) < 2:
        return [], None
    lo, hi = math.log10(min(evals)), math.log10(max(evals))
    bins = min(30, max(6, int(math.sqrt(len(evals)))))
    step = (hi - lo) / bins or 1.0
    counts = [0] * bins
    for v in evals:
        counts[min(bins - 1, int((math.log10(v) - lo) / step))] += 1
    points = []
    for i, c in enumerate(counts):
        if c:
            a, b = 10 ** (lo + i * step), 10 ** (lo + (i + 1) * step)
            points.append((lo + (i + 0.5) * step, math.log10(c / (s.n_evals * (b - a)))))
    if s.alpha is None or s.xmin is None or s.alpha <= 1 or s.xmin <= 0:
        return points, None
    lam0 = max(s.xmin, min(evals))
    k = sum(1 for v in evals if v >= lam0)
    log_c = math.log10(k / s.n_evals * (s.alpha - 1)) + (s.alpha - 1) * math.log10(lam0)
    return points, (log_c, lam0)


def _esd(s: SpectralStats) -> str:
    layer = s.name.removesuffix(".weight")
    points, fit = esd_points(s)
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    alpha = s.alpha if fit is not None else None
    ends: list[tuple[float, float]] = []
    if fit is not None and alpha is not None:
        log_c, lam0 = fit
        ends = [(x, log_c - alpha * x) for x in (math.log10(lam0), math.log10(s.evals[0]))]
        xs += [x for x, _ in ends]
        ys += [y for _, y in ends]
    big = max(s.shape[0], math.prod(s.shape[1:])) if s.shape else 1
    edge = s.mp_edge * big
    if edge > 0 and min(xs) - 1 <= math.log10(edge) <= max(xs) + 1:
        xs.append(math.log10(edge))  # within a decade of the data: widen the axis to show it
    ax = _Axes(xs, ys)
    line = (
        f'<path class="esd-fit" d="M {ax.sx(ends[0][0]):.3f} {ax.sy(ends[0][1]):.3f} '
        f'L {ax.sx(ends[1][0]):.3f} {ax.sy(ends[1][1]):.3f}"/>'
        if ends
        else ""
    )
    mp = ""
    if edge > 0 and ax.x0 <= math.log10(edge) <= ax.x1:
        x = ax.sx(math.log10(edge))
        mp = (
            f'<line class="esd-mp" x1="{x:.1f}" y1="{ax.TOP}" x2="{x:.1f}" '
            f'y2="{ax.H - ax.BOTTOM}"/><text class="mp-label" x="{x + 3:.1f}" '
            f'y="{ax.TOP + 9}">MP edge</text>'
        )
    dots = "".join(
        f'<circle class="esd-point" cx="{ax.sx(x):.2f}" cy="{ax.sy(y):.2f}" r="2.2"/>'
        for x, y in points
    )
    fit_text = (
        f"fit &alpha; = {s.alpha:.2f} above &lambda; = {_g(s.xmin)} (KS {_g(s.ks_distance or 0.0)})"
        if s.alpha is not None and s.xmin is not None
        else "no power-law fit"
    )
    stored = (
        f"largest {len(s.evals)} of {s.n_evals} eigenvalues; " if len(s.evals) < s.n_evals else ""
    )
    mp_text = f"MP edge &lambda;+ = {_g(edge)}" + ("" if mp else " (outside the plotted range)")
    b, r = ax.H - ax.BOTTOM, ax.W - ax.RIGHT
    return (
        f'<figure class="esd" data-layer="{escape(layer)}" data-alpha="{s.alpha!r}">'
        f"<figcaption><code>{escape(s.name)}</code></figcaption>"
        f'<svg viewBox="0 0 {ax.W:.0f} {ax.H:.0f}" {ax.attrs()} role="img" '
        f'aria-label="Eigenvalue density of {escape(s.name)}, log-log, {fit_text}">'
        f'<line class="axis" x1="{ax.LEFT}" y1="{b}" x2="{r}" y2="{b}"/>'
        f'<line class="axis" x1="{ax.LEFT}" y1="{ax.TOP}" x2="{ax.LEFT}" y2="{b}"/>'
        f'{ax.ticks()}<text class="tick" x="{ax.LEFT}" y="{ax.TOP - 7}" '
        'text-anchor="middle">p(&lambda;)</text>'
        f"{mp}{dots}{line}"
        f'<text class="tick" x="{r}" y="{ax.H - 3}" text-anchor="end">'
        "&lambda; (eigenvalue of W&#7488;W)</text>"
        f"</svg><div class='range'><span>{fit_text}; {stored}{s.n_spikes} spike(s) above the "
        f"{mp_text}.</span></div></figure>"
    )


def esd_plots(report: ModelReport) -> str:
    fitted = [s for s in report.spectral if s.alpha is not None]
    if not fitted:
        need = report.config.min_evals_alpha
        return f"<p>No layer has enough eigenvalues for a power-law fit (needs {need}).</p>"
    shown, more = fitted[:ESD_SHOWN], len(fitted) - ESD_SHOWN
    note = f"<p>…and {more} more layer(s) with a fit (see the layer table).</p>" if more > 0 else ""
    return (
        "<p>Empirical spectral density of W&#7488;W per layer (dots), the fitted power law "
        "p(&lambda;) &prop; &lambda;<sup>&minus;&alpha;</sup> from x<sub>min</sub> (orange; "
        "slope &minus;&alpha; on these axes) and the Marchenko&ndash;Pastur bulk edge (green "
        "dashes). A hint, not a verdict (HTSR, Martin &amp; Mahoney 2021).</p>"
        f'<div class="multiples esd-grid" id="esd-plots">'
        f"{''.join(_esd(s) for s in shown)}</div>{note}"
    )
