"""The connectivity graph of a ``torch.export`` program, read from its ATen graph and the
``nn_module_stack`` metadata each node carries.

``torch.export`` flattens the module tree into one graph of ATen ops; every op keeps the stack
of modules whose ``forward`` it ran in (``node.meta["nn_module_stack"]``: call key ->
``(qualified path, class)``, outermost first; the key gains ``@n`` on the n-th repeated call;
see https://pytorch.org/docs/stable/export.ir_spec.html). A module path that is never the outer
module of another one on any stack is a leaf: all ops of one call of a leaf (``linear``, the
~20 ops of a ``MultiheadAttention``, the ``lstm`` op and its ``getitem``\\ s) collapse into one
layer node named by that path, as TorchScript leaves do in ``_script_graph``. Ops that ran in a
container's own ``forward`` (the ``add`` of a residual block) become function nodes named by
the op (``add``, ``relu``). Parameters and buffers (``get_attr``), Python ``getitem`` and ops
that yield no tensor (shape arithmetic, runtime assertions) are looked through, so an edge
joins two nodes whenever a value flows from one to the other, and a residual connection shows
as an ``add`` whose operands are a node and one of its ancestors.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import torch
from torch import fx

from neuralscope.analysis._script_graph import ScriptGraph


def _stack(node: fx.Node) -> list[tuple[str, str, str]]:
    """``(call key, module path, class name)`` from outermost to innermost."""
    raw = node.meta.get("nn_module_stack") or {}
    out = []
    for key, (path, cls) in raw.items():
        name = cls if isinstance(cls, str) else str(getattr(cls, "__name__", cls))
        out.append((str(key), str(path), name.rpartition(".")[2]))
    return out


def _yields_tensor(node: fx.Node) -> bool:
    if "val" not in node.meta:
        return True
    val: Any = node.meta["val"]
    if isinstance(val, list | tuple):
        return any(isinstance(v, torch.Tensor) for v in val)
    return isinstance(val, torch.Tensor)


def _op_name(target: torch._ops.OpOverload) -> str:
    """``aten.add.Tensor`` -> ``add``; ``aten.relu_.default`` -> ``relu``."""
    parts = str(target).split(".")
    return (parts[1] if len(parts) > 1 else parts[0]).rstrip("_")


def is_export_graph(module: object) -> TypeGuard[fx.GraphModule]:
    """Whether ``module`` is a GraphModule whose nodes carry ``torch.export`` module stacks."""
    return isinstance(module, fx.GraphModule) and any(
        n.meta.get("nn_module_stack") for n in module.graph.nodes
    )


def export_graph(module: fx.GraphModule) -> ScriptGraph:
    """The graph of ``ExportedProgram.module()`` (the unlifted module: parameters and buffers
    are ``get_attr`` nodes, placeholders are the user inputs): ``input`` node(s), layer and op
    nodes in execution order, an ``output`` node."""
    nodes = list(module.graph.nodes)
    containers = {""}
    for n in nodes:
        containers |= {path for _, path, _ in _stack(n)[:-1]}
    out = ScriptGraph()
    seen: set[tuple[str, str]] = set()

    def link(sources: set[str], target: str) -> None:
        for s in sorted(sources):
            if s != target and (s, target) not in seen:
                seen.add((s, target))
                out.edges.append((s, target))

    placeholders = [n for n in nodes if n.op == "placeholder"]
    producers: dict[fx.Node, set[str]] = {}
    calls: dict[str, str] = {}  # leaf call key -> its node id
    for n in nodes:
        flowing: set[str] = set()
        for a in n.all_input_nodes:
            flowing |= producers.get(a, set())
        if n.op == "placeholder":
            base = "input" if len(placeholders) == 1 else f"input{placeholders.index(n)}"
            producers[n] = {out.add(base, "placeholder", str(n.target), "input", None)}
        elif n.op == "output":
            link(flowing, out.add("output", "output", "output", "output", None))
        elif (
            n.op == "call_function"
            and isinstance(n.target, torch._ops.OpOverload)
            and _yields_tensor(n)
        ):
            stack = _stack(n)
            key, path, cls = stack[-1] if stack else ("", "", "")
            if path not in containers:  # one call of a leaf module: one layer node
                if key not in calls:
                    calls[key] = out.add(path.replace(".", "_"), "call_module", path, cls, path)
                node_id = calls[key]
            else:
                op = _op_name(n.target)
                node_id = out.add(op, "call_function", op, op, None)
            link(flowing, node_id)
            producers[n] = {node_id}
        else:  # get_attr, getitem, shape arithmetic, assertions, guards: look through
            producers[n] = flowing
    return out
