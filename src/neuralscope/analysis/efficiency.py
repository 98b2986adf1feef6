"""Efficiency tiers by the roofline model (Williams, Waterman & Patterson, CACM 2009).

A layer's arithmetic intensity is AI = FLOPs / bytes of its weights at the analysed batch (the
weights must be read at least once per forward pass, so this is the intensity's upper bound).
Against the machine's ridge point P/B (peak FLOP/s over memory bandwidth):

* ``compute-bound``  AI >= ridge: speed is limited by arithmetic; cut FLOPs (pruning, low rank).
* ``balanced``       ridge/4 <= AI < ridge.
* ``memory-bound``   AI < ridge/4: speed is limited by reading weights; batch more inputs (AI grows
  with the batch) or store fewer bytes (int8/fp16).

Default ridge 10 FLOP/byte (``AnalysisConfig.ridge_flops_per_byte``): on the 2-core AMD EPYC
machines this project runs on, one core does ~116-150 GFLOP/s in float32 GEMM (measured here)
and streams ~14-22 GB/s (PERFORMANCE.md), a ridge of ~5-10. Set it for other hardware. Where
layer times were measured, the achieved GFLOP/s is reported next to the tier.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from neuralscope.analysis.cost import CostReport

TIERS = ("compute-bound", "balanced", "memory-bound")
SOURCE = "roofline model, Williams, Waterman & Patterson, CACM 2009"


class LayerEfficiency(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    flops: int
    weight_bytes: int
    intensity: float
    tier: str
    achieved_gflops: float | None


class EfficiencyReport(BaseModel):
    """Per-layer and whole-model roofline tiers with the thresholds used."""

    model_config = ConfigDict(frozen=True)

    ridge_flops_per_byte: float
    thresholds: dict[str, str]
    source: str
    estimated: bool
    model_intensity: float | None
    model_tier: str | None
    flop_share: dict[str, float]
    layers: list[LayerEfficiency]
    advice: str


def tier_of(intensity: float, ridge: float) -> str:
    if intensity >= ridge:
        return TIERS[0]
    return TIERS[1] if intensity >= ridge / 4 else TIERS[2]


_ADVICE = {
    TIERS[0]: "Arithmetic dominates: cut FLOPs (pruning, low-rank factorization).",
    TIERS[1]: "Neither limit dominates: larger batches and int8 both help somewhat.",
    TIERS[2]: "Reading weights dominates: batch more inputs or store int8/fp16 weights.",
}


def efficiency_tiers(
    cost: CostReport, layer_bytes: dict[str, int], ridge: float
) -> EfficiencyReport | None:
    """Tiers for every layer with FLOPs and weights; None when no FLOPs are known."""
    if cost.flops is None:
        return None
    rows = []
    for c in cost.layers:
        nbytes = layer_bytes.get(c.name, 0)
        if c.flops is None or nbytes == 0:
            continue
        ai = c.flops / nbytes
        rows.append(
            LayerEfficiency(
                name=c.name,
                flops=c.flops,
                weight_bytes=nbytes,
                intensity=ai,
                tier=tier_of(ai, ridge),
                achieved_gflops=c.flops / (c.time_ms * 1e6) if c.time_ms else None,
            )
        )
    flops = sum(r.flops for r in rows)
    share = {t: sum(r.flops for r in rows if r.tier == t) / flops if flops else 0.0 for t in TIERS}
    total_bytes = sum(r.weight_bytes for r in rows)
    model_ai = flops / total_bytes if total_bytes else None
    model_tier = tier_of(model_ai, ridge) if model_ai is not None else None
    return EfficiencyReport(
        ridge_flops_per_byte=ridge,
        thresholds={
            TIERS[0]: f"FLOPs/byte >= {ridge:g}",
            TIERS[1]: f"{ridge / 4:g} <= FLOPs/byte < {ridge:g}",
            TIERS[2]: f"FLOPs/byte < {ridge / 4:g}",
        },
        source=SOURCE,
        estimated=cost.estimated,
        model_intensity=model_ai,
        model_tier=model_tier,
        flop_share=share,
        layers=rows,
        advice=_ADVICE[model_tier] if model_tier else "No layer with both FLOPs and weights.",
    )
