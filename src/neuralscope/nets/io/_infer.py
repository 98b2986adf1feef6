"""Infer layers and their roles from parameter names and shapes alone.

When only weights exist (a state_dict, safetensors, ONNX initializers) there is no module tree.
Layers are grouped by name prefix (``encoder.0.attn.q_proj.weight`` -> ``encoder.0.attn.q_proj``)
and classified by shape and naming conventions of torch, Hugging Face and timm:
2-D weights are linear (or embeddings when named so), 3/4/5-D weights are convolutions,
1-D weight+bias pairs named ``norm``/``ln`` are normalisations, ``weight_ih_l*`` rows of 4H/3H/H
are LSTM/GRU/RNN gates. Every result is marked ``inferred=True`` so reports can say so.
"""

from __future__ import annotations

import re

import torch
from pydantic import BaseModel, ConfigDict

_ATTN_ROLES = [
    (re.compile(r"(^|[._])(q_proj|query|q|wq|to_q)$"), "attention_q"),
    (re.compile(r"(^|[._])(k_proj|key|k|wk|to_k)$"), "attention_k"),
    (re.compile(r"(^|[._])(v_proj|value|v|wv|to_v)$"), "attention_v"),
    (
        re.compile(r"(^|[._])(out_proj|o_proj|wo|to_out|attention\.output\.dense|c_proj)$"),
        "attention_out",
    ),
    (re.compile(r"(^|[._])(qkv|c_attn|in_proj|query_key_value)$"), "attention_qkv"),
]
_EMBED = re.compile(r"(embed|embedding|wte|wpe|tok_emb|pos_emb|word_embeddings)", re.I)
_NORM = re.compile(r"(norm|(^|[._])ln(_?\w*)?$|layernorm|bn\d*$|(^|[._])bn)", re.I)
_RNN = re.compile(r"^weight_ih_l(\d+)(_reverse)?$")


class LayerInfo(BaseModel):
    """One layer: its qualified name, kind, role and parameter shapes."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str
    role: str | None = None
    shapes: dict[str, list[int]]
    params: int
    inferred: bool


def _split(key: str) -> tuple[str, str]:
    prefix, _, leaf = key.rpartition(".")
    return prefix, leaf


def _attention_role(name: str) -> str | None:
    for pattern, role in _ATTN_ROLES:
        if pattern.search(name):
            return role
    return None


def _rnn_kind(tensors: dict[str, torch.Tensor]) -> tuple[str, str] | None:
    for leaf, t in tensors.items():
        match = _RNN.match(leaf)
        hh = tensors.get(leaf.replace("_ih_", "_hh_"))
        if match and hh is not None and t.ndim == 2:
            hidden = hh.shape[1]
            gates = t.shape[0] // max(hidden, 1)
            kind = {4: "lstm", 3: "gru", 1: "rnn"}.get(gates, "rnn")
            names = {4: "i,f,g,o", 3: "r,z,n", 1: "h"}.get(gates, "h")
            return kind, f"{kind}_gates({names})"
    return None


def _classify(name: str, tensors: dict[str, torch.Tensor]) -> tuple[str, str | None]:
    rnn = _rnn_kind(tensors)
    if rnn is not None:
        return rnn
    if "in_proj_weight" in tensors:
        return "attention", "attention_qkv_packed"
    weight = tensors.get("weight")
    if weight is None:
        return "other", None
    if weight.ndim == 1:
        return ("norm", "norm") if _NORM.search(name) or "bias" in tensors else ("other", None)
    if weight.ndim == 2:
        if _EMBED.search(name):
            return "embedding", "embedding"
        return "linear", _attention_role(name)
    if weight.ndim in (3, 4, 5):
        return f"conv{weight.ndim - 2}d", None
    return "other", None


def infer_layers(state: dict[str, torch.Tensor]) -> list[LayerInfo]:
    """Group a flat state dict into layers and classify each (see module docstring)."""
    groups: dict[str, dict[str, torch.Tensor]] = {}
    for key, tensor in state.items():
        prefix, leaf = _split(key)
        groups.setdefault(prefix, {})[leaf] = tensor
    layers = []
    for name, tensors in groups.items():
        kind, role = _classify(name, tensors)
        layers.append(
            LayerInfo(
                name=name,
                kind=kind,
                role=role,
                shapes={k: list(v.shape) for k, v in tensors.items()},
                params=sum(v.numel() for v in tensors.values() if v.is_floating_point()),
                inferred=True,
            )
        )
    return layers


def module_layers(model: torch.nn.Module) -> list[LayerInfo]:
    """Layers of a live module tree: leaf modules that own parameters (nothing inferred)."""
    layers = []
    for name, mod in model.named_modules():
        own = dict(mod.named_parameters(recurse=False))
        if not own:
            continue
        kind = type(mod).__name__.lower()
        role = _attention_role(name) if isinstance(mod, torch.nn.Linear) else None
        layers.append(
            LayerInfo(
                name=name,
                kind=kind,
                role=role,
                shapes={k: list(v.shape) for k, v in own.items()},
                params=sum(v.numel() for v in own.values()),
                inferred=False,
            )
        )
    return layers
