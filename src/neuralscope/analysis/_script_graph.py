"""The connectivity graph of a TorchScript module, read from its (non-inlined) IR.

A traced or scripted module keeps one graph per submodule: ``prim::CallMethod[name="forward"]``
on a ``prim::GetAttr`` child calls that child (the PyTorch JIT IR, see
https://github.com/pytorch/pytorch/blob/main/torch/csrc/jit/OVERVIEW.md). Children with
children of their own are expanded recursively; leaves become layer nodes named by their
qualified module path (the names ``ModelReport.layers`` uses), tensor ops (``aten::add``,
``aten::relu``, ...) become function nodes, and constants, list plumbing
and shape arithmetic (``aten::size``, ``aten::Int``) are looked through, so an edge joins two
nodes whenever a value flows from one to the other. A residual connection
shows as an ``add`` whose operands are a node and one of its ancestors, as in the fx analysis.
"""

from __future__ import annotations

from typing import Any

import torch

_PLUMBING = ("prim::Constant", "prim::ListConstruct", "prim::TupleConstruct", "prim::GetAttr")
# Shape arithmetic that traced code records around view/reshape: not a step of the data flow.
_SHAPE_OPS = frozenset(
    {"aten::size", "aten::Int", "aten::Float", "aten::ScalarImplicit", "aten::dim", "aten::numel"}
)
MAX_NODES = 2000
_MATMUL_KINDS = frozenset({"matmul", "bmm", "mm", "baddbmm", "einsum"})
_ATTENTION_LAYERS = frozenset({"MultiheadAttention"})
_HOPS = 4  # scale, mask, view and expand ops may sit between the products and the softmax


def _near(start: str, links: dict[str, list[str]], kinds: dict[str, str]) -> bool:
    """Whether a matrix product is within ``_HOPS`` steps of ``start`` along ``links``."""
    frontier, seen = [start], {start}
    for _ in range(_HOPS):
        frontier = [b for a in frontier for b in links.get(a, []) if b not in seen]
        seen.update(frontier)
        if any(kinds[b] in _MATMUL_KINDS for b in frontier):
            return True
    return False


class ScriptGraph:
    """Nodes as ``(id, op, target, kind, layer)`` and edges as ``(source, target)`` ids."""

    def __init__(self) -> None:
        self.nodes: list[tuple[str, str, str, str, str | None]] = []
        self.edges: list[tuple[str, str]] = []
        self._names: dict[str, int] = {}

    def add(self, base: str, op: str, target: str, kind: str, layer: str | None) -> str:
        count = self._names.get(base, 0)
        self._names[base] = count + 1
        node_id = base if count == 0 else f"{base}_{count}"
        self.nodes.append((node_id, op, target, kind, layer))
        if len(self.nodes) > MAX_NODES:
            raise ValueError("graph too large to draw")
        return node_id

    def residual_adds(self) -> int:
        """Adds whose operands are a node and one of its ancestors with a layer in between."""
        parents: dict[str, list[str]] = {n[0]: [] for n in self.nodes}
        for source, target in self.edges:
            parents[target].append(source)
        layer_of = {n[0]: n[4] for n in self.nodes}
        anc: dict[str, set[str]] = {}
        for node_id, *_ in self.nodes:  # nodes come in execution order
            s: set[str] = set()
            for p in parents[node_id]:
                s |= anc.get(p, set()) | {p}
            anc[node_id] = s
        count = 0
        for node_id, _, _, kind, _ in self.nodes:
            ops = parents[node_id]
            if kind == "add" and len(ops) == 2:
                a, b = ops if ops[1] in anc[ops[0]] else ops[::-1]
                between = {p for p in anc[a] | {a} if b in anc[p]}
                count += b in anc[a] and any(layer_of[p] for p in between)
        return count

    def attention_blocks(self) -> int:
        """Attention read from the graph, whatever the layers are named: calls of a
        ``MultiheadAttention`` layer, ``scaled_dot_product_attention`` ops, and softmaxes with a
        matrix product a few ops before and after (QK^T -> softmax -> V, as in the fx
        analysis)."""
        kinds = {n[0]: n[3] for n in self.nodes}
        parents: dict[str, list[str]] = {}
        children: dict[str, list[str]] = {}
        for a, b in self.edges:
            parents.setdefault(b, []).append(a)
            children.setdefault(a, []).append(b)
        count = 0
        for node_id, op, _, kind, _ in self.nodes:
            if op == "call_module":
                count += kind in _ATTENTION_LAYERS
            elif "scaled_dot_product" in kind:
                count += 1
            elif kind in ("softmax", "_softmax"):
                count += _near(node_id, parents, kinds) and _near(node_id, children, kinds)
        return count


def _kind(module: Any) -> str:
    qualified = str(module._c._type().name())  # e.g. __torch__.torch.nn.modules.conv.Conv2d
    return qualified.rpartition(".")[2]


def _expand(module: Any, prefix: str, inputs: list[set[str]], out: ScriptGraph) -> set[str]:
    """Add ``module``'s forward graph; ``inputs`` are the producer ids of each argument."""
    graph = module.graph
    producers: dict[Any, set[str]] = {}
    args = list(graph.inputs())[1:]  # the first input is ``self``
    for value, source in zip(args, inputs, strict=False):
        producers[value] = source
    attrs: dict[Any, tuple[str, Any]] = {}
    for node in graph.nodes():
        kind = node.kind()
        flowing: set[str] = set()
        for value in node.inputs():
            flowing |= producers.get(value, set())
        if kind == "prim::GetAttr":
            name = node.s("name")
            owner = attrs.get(next(iter(node.inputs())))
            parent_mod, parent_path = (owner[1], owner[0]) if owner else (module, prefix)
            child = getattr(parent_mod, name, None)
            if isinstance(child, torch.jit.ScriptModule):
                attrs[node.output()] = (f"{parent_path}.{name}".lstrip("."), child)
            continue
        if kind == "prim::CallMethod" and node.s("name") == "forward":
            call_args = list(node.inputs())
            target = attrs.get(call_args[0])
            if target is not None:
                path, child = target
                arg_sources = [producers.get(v, set()) for v in call_args[1:]]
                if any(True for _ in child.named_children()):
                    result = _expand(child, path, arg_sources, out)
                else:
                    node_id = out.add(
                        path.replace(".", "_"), "call_module", path, _kind(child), path
                    )
                    out.edges += [(s, node_id) for src in arg_sources for s in sorted(src)]
                    result = {node_id}
                for value in node.outputs():
                    producers[value] = result
                continue
        if kind in _PLUMBING or kind in _SHAPE_OPS or not kind.startswith("aten::"):
            for value in node.outputs():  # look through: the value carries its producers
                producers[value] = flowing
            continue
        op = kind.split("::", 1)[1].rstrip("_")
        node_id = out.add(op, "call_function", op, op, None)
        out.edges += [(s, node_id) for s in sorted(flowing)]
        for value in node.outputs():
            producers[value] = {node_id}
    final: set[str] = set()
    for value in graph.outputs():
        final |= producers.get(value, set())
    return final


def script_graph(module: torch.jit.ScriptModule) -> ScriptGraph:
    """The graph of ``module``: an ``input`` node, its layers and ops, an ``output`` node."""
    out = ScriptGraph()
    n_inputs = len(list(module.graph.inputs())) - 1
    sources = [
        {out.add("input" if n_inputs == 1 else f"input{i}", "placeholder", "x", "input", None)}
        for i in range(n_inputs)
    ]
    final = _expand(module, "", sources, out)
    sink = out.add("output", "output", "output", "output", None)
    out.edges += [(s, sink) for s in sorted(final)]
    return out
