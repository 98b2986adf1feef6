"""The script is a thin wrapper: it writes the zoo (weights + cards) where it is told."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripts.train_zoo import main

from neuralscope.zoo import ZOO, installed


def test_script_writes_every_entry_into_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([str(tmp_path / "zoo"), "--scale", "0.002"])
    cards = installed(tmp_path / "zoo")
    assert [c.name for c in cards] == [e.name for e in ZOO]
    out = capsys.readouterr().out
    assert all(f"{e.name}: " in out and "val/accuracy=" in out for e in ZOO)
