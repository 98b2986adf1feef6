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


FINDING_CODES: dict[str, FindingCode] = {
    c.code: c
    for c in [
        FindingCode(
            "loss_divergence",
            "Loss diverged",
            "The training loss became NaN or infinite; the run cannot continue.",
            "Non-finite loss is exact; see Pascanu et al. 2013 on exploding gradients.",
        ),
    ]
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
