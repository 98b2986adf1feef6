"""``neuralscope zoo train`` / ``zoo list`` over a temporary home; the demo seeds it once."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from neuralscope.cli import app
from neuralscope.demo import seed_zoo
from neuralscope.zoo import ZOO

from .conftest import TINY, install

runner = CliRunner()


def test_list_on_a_fresh_home_names_the_command(tmp_path: Path) -> None:
    result = runner.invoke(app, ["zoo", "list", "--home", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)
    assert listing["items"] == []
    assert listing["missing"] == [e.name for e in ZOO]
    human = runner.invoke(app, ["zoo", "list", "--home", str(tmp_path)])
    assert "neuralscope zoo train" in " ".join(human.output.split())


def test_train_installs_into_the_home_and_list_shows_it(tmp_path: Path) -> None:
    args = ["zoo", "train", "--home", str(tmp_path), "--scale", str(TINY), "--only", "blobs"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    trained = json.loads(result.stdout)["items"]
    assert [c["name"] for c in trained] == ["blobs"]
    listing = runner.invoke(app, ["zoo", "list", "--home", str(tmp_path), "--json"])
    shown = json.loads(listing.stdout)
    assert shown["items"] == trained
    assert "blobs" not in shown["missing"]
    table = runner.invoke(app, ["zoo", "list", "--home", str(tmp_path)])
    assert f"{trained[0]['metrics']['val/accuracy']:.1%}" in table.output


def test_train_refuses_unknown_entries(tmp_path: Path) -> None:
    result = runner.invoke(app, ["zoo", "train", "--home", str(tmp_path), "--only", "mnist"])
    assert result.exit_code == 2
    assert "no zoo model named mnist" in " ".join(result.output.split())
    assert not (tmp_path / "zoo").exists()


def test_demo_trains_only_what_is_missing(tiny_zoo: Path, tmp_path: Path) -> None:
    zoo = install(tiny_zoo, tmp_path)
    (zoo / "spirals.json").unlink()
    # Training is deterministic, so "not retrained" shows in the files' times, not contents.
    before = {p.name: p.stat().st_mtime_ns for p in zoo.iterdir() if "spirals" not in p.name}
    cards = seed_zoo(tmp_path, TINY)
    assert [c.name for c in cards] == ["spirals"]
    assert seed_zoo(tmp_path, TINY) == []  # installed: nothing to do
    assert {p.name: p.stat().st_mtime_ns for p in zoo.iterdir() if p.name in before} == before
    assert (zoo / "spirals.json").is_file()
