"""``neuralscope datasets list/import/download`` for the catalog's sets (real files, a real
HTTP server on a loopback port, the real CLI)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.data.archive_files import md5, sha256, write_cifar, write_imdb
from tests.data.http_server import serve
from typer.testing import CliRunner

from neuralscope.cli import app
from neuralscope.data.catalog import array_set_names

runner = CliRunner()


def _list(home: Path) -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["datasets", "list", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    return {r["name"]: r for r in json.loads(result.stdout)["items"]}


def _text(output: str) -> str:
    return " ".join(output.split())


def test_list_shows_every_catalog_set_with_its_state(tmp_path: Path) -> None:
    rows = _list(tmp_path)
    assert set(array_set_names()) <= set(rows)
    assert rows["cifar10"]["state"] == "not cached"
    assert rows["cifar10"]["available"] is False
    assert rows["iris"]["state"] == "offline"
    assert (rows["imdb"]["kind"], rows["wine"]["kind"], rows["digits"]["kind"]) == (
        "text",
        "tabular",
        "image",
    )
    assert rows["sine"]["search"] is False  # regression: the Playground's, not the search's
    assert rows["mnist"]["input_shape"] == [1, 28, 28]


def test_import_then_list_says_cached(tmp_path: Path) -> None:
    path, _ = write_imdb(tmp_path / "src")
    table = tmp_path / "sums.json"
    table.write_text(json.dumps({"imdb.npz": sha256(path)}))
    home = tmp_path / "home"
    result = runner.invoke(
        app,
        ["datasets", "import", "imdb", str(path), "--checksums", str(table), "--home", str(home)],
    )
    assert result.exit_code == 0, result.output
    assert _list(home)["imdb"]["state"] == "cached"


def test_import_with_the_published_checksum_refuses_other_files(tmp_path: Path) -> None:
    archive, _ = write_cifar(tmp_path / "src", "cifar10")
    home = tmp_path / "home"
    result = runner.invoke(
        app, ["datasets", "import", "cifar10", str(archive), "--home", str(home)]
    )
    assert result.exit_code == 2
    assert "checksum mismatch" in _text(result.output)
    assert _list(home)["cifar10"]["state"] == "not cached"


def test_offline_and_unknown_names_are_refused(tmp_path: Path) -> None:
    for name in ("iris", "nope"):
        result = runner.invoke(app, ["datasets", "download", name, "--home", str(tmp_path)])
        assert result.exit_code == 2
        assert "choose one of: mnist, fashion_mnist, cifar10" in _text(result.output)


def test_download_from_a_mirror_with_a_progress_bar(tmp_path: Path) -> None:
    archive, _ = write_cifar(tmp_path / "www", "cifar100")
    table = tmp_path / "sums.json"
    table.write_text(json.dumps({archive.name: md5(archive)}))
    home = tmp_path / "home"
    with serve(tmp_path / "www") as url:
        args = ["datasets", "download", "cifar100", "--mirror", url, "--checksums", str(table)]
        result = runner.invoke(app, [*args, "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "cifar-100-python.tar.gz" in result.output  # the progress bar's label
    assert "downloaded cifar100" in _text(result.output)
    assert _list(home)["cifar100"]["state"] == "cached"


def test_download_without_network_names_the_import_command(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mirror = f"http://127.0.0.1:{port}/"
    args = ["datasets", "download", "reuters", "--mirror", mirror, "--home", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "neuralscope datasets import reuters PATH" in _text(result.output)
