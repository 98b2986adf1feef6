"""Health score: ONE formula, every lost point traceable to a Finding.

score = max(0, 100 - sum_f points(f)), points = 25 per critical, 10 per warning, 0 per info
Finding. The breakdown lists each Finding's points in report order.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from neuralscope.findings import Finding, Severity

POINTS = {Severity.CRITICAL: 25, Severity.WARNING: 10, Severity.INFO: 0}
FORMULA = "score = max(0, 100 - sum(points)); points: critical 25, warning 10, info 0"


class PenaltyItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    finding_index: int
    code: str
    layer: str | None
    severity: Severity
    points: int


class HealthReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: int
    formula: str
    breakdown: list[PenaltyItem]


def health_score(findings: list[Finding]) -> HealthReport:
    items = [
        PenaltyItem(
            finding_index=i,
            code=f.code,
            layer=f.layer,
            severity=f.severity,
            points=POINTS[f.severity],
        )
        for i, f in enumerate(findings)
        if POINTS[f.severity]
    ]
    return HealthReport(
        score=max(0, 100 - sum(i.points for i in items)), formula=FORMULA, breakdown=items
    )
