"""Findings: the one type every diagnostic returns, and the registry of their codes.

A Finding's ``code`` is part of the public API (reports, REST, the web app, docs): codes are
registered here once, with what they mean and where their threshold comes from, and are never
renamed silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

EvidenceValue = float | int | str | bool | list[float] | list[int] | None


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Finding(BaseModel):
    """One diagnosis with the numbers behind it."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    code: str = Field(description="Stable snake_case code from the registry")
    severity: Severity
    layer: str | None = Field(default=None, description="Qualified module name, if any")
    evidence: dict[str, EvidenceValue] = Field(
        default_factory=dict, description="The numbers that triggered it, with the threshold"
    )
    message: str
    recommendation: str


@dataclass(frozen=True)
class FindingCode:
    """What a code means and the source of its rule."""

    code: str
    title: str
    meaning: str
    source: str


# One list per job; each code is registered exactly once (a test checks it). Codes shared by
# several jobs (static analysis and live watching both find dead units) live in _SHARED.
_SHARED = [
    FindingCode(
        "dead_units",
        "Dead units",
        "Units whose output is never positive on the probe data (ReLU: they get no gradient "
        "and stop learning); static analysis can certify some from weights alone.",
        "Lu et al. 2019 (arXiv 1903.06733); interval certificate: SCIENCE.md section 1.1.",
    ),
    FindingCode(
        "vanishing_gradients",
        "Vanishing gradients",
        "Gradient norms in early layers are orders of magnitude below the last layer's.",
        "Pascanu et al. 2013; first/last-layer ratio < 1e-3 (heuristic, configurable).",
    ),
    FindingCode(
        "exploding_gradients",
        "Exploding gradients",
        "Gradient norms spike far above their running median, or become non-finite.",
        "Pascanu et al. 2013; spike > 10x running median (heuristic, configurable).",
    ),
]

_TRAINING = [
    FindingCode(
        "loss_divergence",
        "Loss diverged",
        "The training loss became NaN or infinite; the run cannot continue.",
        "Non-finite loss is exact; see Pascanu et al. 2013 on exploding gradients.",
    ),
]

# Static model analytics (issue #4): add codes here.
_ANALYSIS: list[FindingCode] = []

# Live diagnostics of watched runs (issue #5): add codes here.
_WATCH: list[FindingCode] = []

# Module decomposition (issue #7): add codes here.
_DECOMPOSITION: list[FindingCode] = []

FINDING_CODES: dict[str, FindingCode] = {
    c.code: c for c in [*_SHARED, *_TRAINING, *_ANALYSIS, *_WATCH, *_DECOMPOSITION]
}


def make_finding(
    code: str,
    severity: Severity,
    message: str,
    recommendation: str,
    *,
    layer: str | None = None,
    evidence: dict[str, EvidenceValue] | None = None,
) -> Finding:
    """Build a Finding, refusing codes that are not registered."""
    if code not in FINDING_CODES:
        raise KeyError(f"unregistered finding code {code!r}; add it to FINDING_CODES")
    return Finding(
        code=code,
        severity=severity,
        layer=layer,
        evidence=evidence or {},
        message=message,
        recommendation=recommendation,
    )
