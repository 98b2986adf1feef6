"""The public surface is curated: everything public in ``neuralscope`` is listed in __all__."""

from __future__ import annotations

import importlib
import re
import types

import pytest

PACKAGES = [
    "neuralscope",
    "neuralscope.training",
    "neuralscope.store",
    "neuralscope.nets",
    "neuralscope.data",
    "neuralscope.monitor",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType) and n != "annotations"
    }
    assert set(module.__all__) == public | ({"__version__"} & set(module.__all__))
    for exported in module.__all__:
        assert hasattr(module, exported)


def test_engines_never_import_the_floors_above() -> None:
    """Imports point down only (DESIGN.md): engines never reach store, server or cli."""
    import subprocess
    import sys

    code = (
        "import sys, neuralscope.training, neuralscope.monitor, neuralscope.nets, neuralscope.data;"
        "bad = [m for m in sys.modules if m.startswith(('neuralscope.store', 'neuralscope.server',"
        " 'neuralscope.cli', 'neuralscope.runner'))]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_finding_code_is_registered_once_in_snake_case() -> None:
    from neuralscope import findings

    lists = [v for n, v in vars(findings).items() if n.startswith("_") and isinstance(v, list)]
    codes = [c.code for lst in lists for c in lst]
    assert len(codes) == len(set(codes)), "a code is registered twice"
    assert set(codes) == set(findings.FINDING_CODES)
    for code in codes:
        assert re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", code), code
        entry = findings.FINDING_CODES[code]
        assert entry.meaning, f"{code} lacks its meaning"
        assert entry.source, f"{code} lacks its source"
        assert entry.action, f"{code} lacks what to do about it (its docs page shows it)"
