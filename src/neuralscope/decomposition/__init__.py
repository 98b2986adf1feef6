"""Decompose a layer into functional modules, score them, track them, advise on them.

Methods and their measured validity: SCIENCE.md section 4 (correlation-graph components or
spectral clustering on |Pearson| affinity; mean-ablation importance against random unit
sets; Hungarian matching on Jaccard for identity across snapshots). Live: ``ModuleStream``
turns a ``LiveDecomposer`` into ``modules`` events; ``module_summary`` is the per-trial summary
for searches; connection strength by weight and gradient flow and the Taylor proxy: flow.py.
"""

from __future__ import annotations

from neuralscope.decomposition.advisor import AdvisorThresholds, layer_findings
from neuralscope.decomposition.decompose import DecomposeConfig, decompose
from neuralscope.decomposition.live import LiveConfig, LiveDecomposer, LiveSnapshot
from neuralscope.decomposition.results import (
    Connection,
    Decomposition,
    Importance,
    LayerDecomposition,
    Module,
    ModuleMetrics,
    TaskScores,
)
from neuralscope.decomposition.strategies import (
    Clusterer,
    CorrelationComponents,
    HierarchicalClusterer,
    KMeansClusterer,
    SpectralClustering,
)
from neuralscope.decomposition.stream import ModuleStream
from neuralscope.decomposition.summary import module_summary
from neuralscope.decomposition.tracking import ModuleEvent, ModuleTracker, TrackerConfig
from neuralscope.decomposition.whatif import Intervention, Prune, Reinitialize, WhatIf, what_if

__all__ = [
    "AdvisorThresholds",
    "Clusterer",
    "Connection",
    "CorrelationComponents",
    "DecomposeConfig",
    "Decomposition",
    "HierarchicalClusterer",
    "Importance",
    "Intervention",
    "KMeansClusterer",
    "LayerDecomposition",
    "LiveConfig",
    "LiveDecomposer",
    "LiveSnapshot",
    "Module",
    "ModuleEvent",
    "ModuleMetrics",
    "ModuleStream",
    "ModuleTracker",
    "Prune",
    "Reinitialize",
    "SpectralClustering",
    "TaskScores",
    "TrackerConfig",
    "WhatIf",
    "decompose",
    "layer_findings",
    "module_summary",
    "what_if",
]
