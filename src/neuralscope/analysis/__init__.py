"""Static model analytics (issue #4): pure analyses over a model, assembled into a ModelReport.

Methods, thresholds and sources: SCIENCE.md sections 1-3; each module's docstring cites its own.
"""

from neuralscope.analysis._analyze import analyze, compare
from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.health import HealthReport, health_score
from neuralscope.analysis.report import Comparison, ComparisonRow, ModelReport

__all__ = [
    "AnalysisConfig",
    "Comparison",
    "ComparisonRow",
    "HealthReport",
    "ModelReport",
    "analyze",
    "compare",
    "health_score",
]
