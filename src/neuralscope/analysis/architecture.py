"""Architecture type and patterns from a torch.fx graph, falling back to the module tree.

SCIENCE.md section 3: trace with ``nn.RNNBase``, ``nn.MultiheadAttention`` and
``nn.TransformerEncoderLayer``/``DecoderLayer`` as leaves. Type by precedence: Transformer (MHA,
Transformer layers, ``scaled_dot_product_attention`` or matmul -> softmax -> matmul), RNN, CNN,
MLP; several families make a hybrid. Residual: an ``add`` whose operand is a graph ancestor of
the other operand with a parametric module on the longer path. Bottleneck block: the residual
path's inner widths satisfy min(inner) <= 1/2 of the block's output width (a 4x Transformer FFN
is not a bottleneck).
"""

from __future__ import annotations

import itertools
import operator

import torch
from pydantic import BaseModel, ConfigDict, Field
from torch import fx, nn

from neuralscope.analysis._export_graph import export_graph, is_export_graph
from neuralscope.analysis._script_graph import script_graph
from neuralscope.nets.io import LayerInfo

_LEAVES = (
    nn.RNNBase,
    nn.MultiheadAttention,
    nn.TransformerEncoderLayer,
    nn.TransformerDecoderLayer,
)
_ADD = {operator.add, operator.iadd, torch.add}
_MATMUL = {operator.matmul, torch.matmul, torch.bmm}


class GraphNode(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    op: str
    target: str
    kind: str
    layer: str | None = Field(
        default=None,
        description="Qualified module name of this node's layer (as in ModelReport.layers and "
        "cost.layers); null for inputs, outputs and tensor functions",
    )


class GraphEdge(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    target: str


class ArchitectureReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    types: list[str]
    primary: str
    patterns: dict[str, int]
    method: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class _Tracer(fx.Tracer):
    def is_leaf_module(self, m: nn.Module, module_qualified_name: str) -> bool:
        return isinstance(m, _LEAVES) or super().is_leaf_module(m, module_qualified_name)


def _mha_count(mods: list[nn.Module]) -> int:
    return sum(isinstance(m, nn.MultiheadAttention) for m in mods)


def _known_residuals(mods: list[nn.Module]) -> int:
    """Residual adds hidden inside built-in leaves: 2 per encoder layer, 3 per decoder layer."""
    enc = sum(isinstance(m, nn.TransformerEncoderLayer) for m in mods)
    return 2 * enc + 3 * sum(isinstance(m, nn.TransformerDecoderLayer) for m in mods)


def _families(mods: list[nn.Module], sdpa: bool) -> list[str]:
    fams = []
    attn = (nn.MultiheadAttention, nn.TransformerEncoderLayer, nn.TransformerDecoderLayer)
    if sdpa or any(isinstance(m, attn) for m in mods):
        fams.append("Transformer")
    if any(isinstance(m, nn.RNNBase) for m in mods):
        fams.append("RNN")
    if any(isinstance(m, nn.Conv1d | nn.Conv2d | nn.Conv3d) for m in mods):
        fams.append("CNN")
    if any(isinstance(m, nn.Linear) for m in mods) and not fams:
        fams.append("MLP")
    return fams


def _primary(types: list[str]) -> str:
    return "hybrid" if len(types) > 1 else (types[0] if types else "unknown")


def _width(m: nn.Module) -> int | None:
    for attr in ("out_features", "out_channels", "hidden_size", "embed_dim", "d_model"):
        if hasattr(m, attr):
            return int(getattr(m, attr))
    return None


def _softmax_attention(node: fx.Node) -> bool:
    name = str(node.target)
    if "softmax" not in name:
        return False
    fed = any(
        a.target in _MATMUL or any(b.target in _MATMUL for b in a.all_input_nodes)
        for a in node.all_input_nodes
    )
    return fed and any(u.target in _MATMUL for u in node.users)


def _graph_patterns(gm: fx.GraphModule) -> tuple[dict[str, int], bool]:
    nodes = list(gm.graph.nodes)
    anc: dict[fx.Node, set[fx.Node]] = {}
    for n in nodes:
        s: set[fx.Node] = set()
        for a in n.all_input_nodes:
            s |= anc[a] | {a}
        anc[n] = s
    mods = dict(gm.named_modules())
    residual = bottleneck = attention = 0
    for n in nodes:
        is_add = (n.op == "call_function" and n.target in _ADD) or (
            n.op == "call_method" and n.target in ("add", "add_")
        )
        if is_add and len(n.all_input_nodes) == 2:
            a, b = n.all_input_nodes
            if a in anc[b]:
                a, b = b, a
            if b in anc[a]:
                path = [p for p in anc[a] | {a} if b in anc[p] and p.op == "call_module"]
                parametric = [
                    p for p in path if any(True for _ in mods[str(p.target)].parameters())
                ]
                if parametric:
                    residual += 1
                    order = {node: i for i, node in enumerate(nodes)}
                    widths = [
                        w
                        for p in sorted(parametric, key=order.__getitem__)
                        if (w := _width(mods[str(p.target)])) is not None
                    ]
                    if len(widths) >= 2 and min(widths[:-1]) <= widths[-1] / 2:
                        bottleneck += 1
        if n.op == "call_function" and (
            _softmax_attention(n) or "scaled_dot_product_attention" in str(n.target)
        ):
            attention += 1
    attention += _mha_count(list(mods.values()))
    residual += _known_residuals(list(mods.values()))
    branches = sum(1 for n in nodes if n.op != "output" and len(n.users) > 1) - residual
    patterns = {
        "residual": residual,
        "bottleneck": bottleneck,
        "attention": attention,
        "branches": max(branches, 0),
    }
    sdpa = attention > _mha_count(list(mods.values()))
    return patterns, sdpa


def analyze_architecture(module: nn.Module) -> ArchitectureReport:
    """fx graph analysis; module-tree fallback when tracing fails."""
    mods = list(module.modules())
    try:
        gm = fx.GraphModule(module, _Tracer().trace(module))
    except Exception:  # data-dependent control flow, unsupported ops: fall back (SCIENCE 3)
        types = _families(mods, sdpa=False)
        attn = _mha_count(mods)
        tree_nodes = [
            GraphNode(
                id=n or "input", op="module", target=n, kind=type(m).__name__, layer=n or None
            )
            for n, m in module.named_modules()
        ]
        tree_edges = [
            GraphEdge(source=n.rpartition(".")[0] or "input", target=n)
            for n, _ in module.named_modules()
            if n
        ]
        return ArchitectureReport(
            types=types,
            primary=_primary(types),
            patterns={"attention": attn, "residual": _known_residuals(mods)},
            method="module_tree",
            nodes=tree_nodes,
            edges=tree_edges,
        )
    patterns, sdpa = _graph_patterns(gm)
    types = _families(mods, sdpa)
    named = dict(gm.named_modules())
    nodes = [
        GraphNode(
            id=n.name,
            op=n.op,
            target=str(n.target) if n.op != "call_function" else _function_name(n.target),
            kind=type(named[str(n.target)]).__name__
            if n.op == "call_module"
            else str(getattr(n.target, "__name__", n.target)),
            layer=str(n.target) if n.op == "call_module" else None,
        )
        for n in gm.graph.nodes
    ]
    edges = [
        GraphEdge(source=a.name, target=n.name) for n in gm.graph.nodes for a in n.all_input_nodes
    ]
    return ArchitectureReport(
        types=types,
        primary=_primary(types),
        patterns=patterns,
        method="fx",
        nodes=nodes,
        edges=edges,
    )


def _function_name(target: object) -> str:
    """``add``, ``relu``, ``flatten``: no ``<built-in ... at 0x...>`` address in the report."""
    return str(getattr(target, "__name__", target))


def _file_graph_architecture(
    module: nn.Module, types: list[str], attn: int
) -> ArchitectureReport | None:
    """The real graph of a TorchScript module or a torch.export program, when readable."""
    try:
        if isinstance(module, torch.jit.ScriptModule):
            g, method = script_graph(module), "torchscript"
        elif is_export_graph(module):
            g, method = export_graph(module), "torch.export"
        else:
            return None
    except (RuntimeError, ValueError, AttributeError):  # an IR this reader does not follow
        return None
    nodes = [GraphNode(id=i, op=o, target=t, kind=k, layer=ly) for i, o, t, k, ly in g.nodes]
    edges = [GraphEdge(source=a, target=b) for a, b in g.edges]
    seen = g.attention_blocks()  # the graph's own attention, where names may hide it
    if seen and "Transformer" not in types:
        types = ["Transformer", *(t for t in types if t != "MLP")]
    return ArchitectureReport(
        types=types,
        primary=_primary(types),
        patterns={"attention": max(attn, seen), "residual": g.residual_adds()},
        method=method,
        nodes=nodes,
        edges=edges,
    )


def architecture_from_layers(
    layers: list[LayerInfo], module: nn.Module | None = None
) -> ArchitectureReport:
    """Type from inferred layer kinds/roles when only weights exist (or module types are hidden).

    A TorchScript ``module`` or a torch.export program still gives the real connectivity graph
    (``_script_graph``, ``_export_graph``); otherwise the graph is the layers in file order."""
    kinds = {layer.kind for layer in layers}
    roles = {layer.role or "" for layer in layers}
    types = []
    if any(r.startswith("attention") for r in roles) or "attention" in kinds:
        types.append("Transformer")
    if kinds & {"lstm", "gru", "rnn"}:
        types.append("RNN")
    if any(k.startswith("conv") for k in kinds):
        types.append("CNN")
    if "linear" in kinds and not types:
        types.append("MLP")
    attn = sum(
        1
        for layer in layers
        if layer.role in ("attention_q", "attention_qkv", "attention_qkv_packed")
    )
    if module is not None:
        read = _file_graph_architecture(module, types, attn)
        if read is not None:
            return read
    nodes = [
        GraphNode(id=layer.name, op="layer", target=layer.name, kind=layer.kind, layer=layer.name)
        for layer in layers
    ]
    edges = [GraphEdge(source=a.name, target=b.name) for a, b in itertools.pairwise(layers)]
    return ArchitectureReport(
        types=types,
        primary=_primary(types),
        patterns={"attention": attn},
        method="weights",
        nodes=nodes,
        edges=edges,
    )
