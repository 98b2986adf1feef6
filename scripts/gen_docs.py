"""Generate the reference pages of the documentation site from the code itself.

    python scripts/gen_docs.py docs/generated [--screenshots test-artifacts]

Writes (into a git-ignored folder that ``mkdocs.yml`` links to):

* ``findings/``: an index and one page per Finding code, from ``neuralscope.findings``;
* ``cli.md``: every command's ``--help``, from the Typer app;
* ``rest.md`` and ``openapi.json``: every route, its parameters and status codes, from the app's
  OpenAPI schema;
* ``screenshots/``: the PNGs the browser end-to-end tests took (the guides show them).

Nothing here is written by hand, so the reference cannot drift from the code.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

os.environ["TYPER_USE_RICH"] = "0"  # plain --help text (read at import): boxes read badly in a page
import typer

from neuralscope.cli import app as cli_app
from neuralscope.config import Settings
from neuralscope.findings import FINDING_CODES, FindingCode
from neuralscope.server.app import create_app

# Screenshots the guides embed (taken by tests/e2e); a missing one fails the build.
SCREENSHOTS = (
    "pg-backprop.png",
    "pg-builder-desktop.png",
    "analytics-report.png",
    "search-study-live.png",
    "search-3d-desktop.png",
    "modules-desktop.png",
    "playground-zoo-finetune.png",
    "pg-compare.png",
    "analytics-graph.png",
    "modules-whatif-panel-desktop.png",
)


def _finding_page(code: FindingCode) -> str:
    return (
        f"# `{code.code}`: {code.title}\n\n"
        f"**What it means.** {code.meaning}\n\n"
        f"**Threshold and source.** {code.source}\n\n"
        "**Evidence.** Every `{code}` finding carries the numbers that triggered it in its "
        "`evidence` (the measured value next to the threshold) and names the layer when it is "
        "about one.\n\n"
        f"**What to do.** {code.action or 'See the recommendation in the finding itself.'}\n"
    ).replace("{code}", code.code)


def write_findings(out: Path) -> None:
    folder = out / "findings"
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["| Code | Title | Source |", "| --- | --- | --- |"]
    for code in sorted(FINDING_CODES.values(), key=lambda c: c.code):
        (folder / f"{code.code}.md").write_text(_finding_page(code))
        rows.append(f"| [`{code.code}`]({code.code}.md) | {code.title} | {code.source} |")
    intro = (
        "# Finding codes\n\nEvery diagnostic neuralscope shows is a *Finding* with one of these "
        "codes. Codes are part of the public API: see the [versioning policy]"
        "(../../changelog.md#versioning-policy).\n\n"
    )
    (folder / "index.md").write_text(intro + "\n".join(rows) + "\n")


def _help_of(command: Any, path: list[str]) -> list[str]:
    # Typer vendors its own click: duck-type instead of isinstance(click.Group).
    ctx = command.context_class(command, info_name=" ".join(path))
    lines = [f"## `{' '.join(path)}`", "", "```text", command.get_help(ctx), "```", ""]
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                lines += _help_of(sub, [*path, name])
    return lines


def write_cli(out: Path) -> None:
    root = typer.main.get_command(cli_app)
    text = ["# Command line", "", "Generated from the `neuralscope` Typer app.", ""]
    text += _help_of(root, ["neuralscope"])
    (out / "cli.md").write_text("\n".join(text))


def _rest_rows(schema: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for path, item in sorted(schema["paths"].items()):
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            lines.append(f"### `{method.upper()} {path}`")
            lines.append("")
            if op.get("summary"):
                lines.append(f"**{op['summary']}**")
                lines.append("")
            if op.get("description"):
                lines.append(op["description"].strip())
                lines.append("")
            params = op.get("parameters", [])
            if params:
                lines.append("| Parameter | In | Required | Description |")
                lines.append("| --- | --- | --- | --- |")
                for p in params:
                    desc = (p.get("description") or "").replace("\n", " ")
                    required = p.get("required", False)
                    lines.append(f"| `{p['name']}` | {p['in']} | {required} | {desc} |")
                lines.append("")
            codes = ", ".join(f"`{c}`" for c in sorted(op.get("responses", {})))
            lines.append(f"Responses: {codes}")
            lines.append("")
    return lines


def write_rest(out: Path) -> None:
    app = create_app(Settings(home=out / ".home"))
    schema = app.openapi()
    shutil.rmtree(out / ".home", ignore_errors=True)
    (out / "openapi.json").write_text(json.dumps(schema, indent=1))
    text = [
        "# REST API",
        "",
        "Generated from the server's OpenAPI schema ([download openapi.json](openapi.json)). "
        'Errors are JSON `{"error": {"code", "message"}}`; with a token set, send '
        "`Authorization: Bearer <token>`.",
        "",
    ]
    (out / "rest.md").write_text("\n".join(text + _rest_rows(schema)))


def copy_screenshots(out: Path, source: Path) -> list[str]:
    folder = out / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    missing = []
    for name in SCREENSHOTS:
        if (source / name).is_file():
            shutil.copy2(source / name, folder / name)
        else:
            missing.append(name)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--screenshots", type=Path, default=Path("test-artifacts"))
    args = parser.parse_args()
    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    write_findings(out)
    write_cli(out)
    write_rest(out)
    missing = copy_screenshots(out, args.screenshots)
    if missing:
        print(
            f"missing screenshots in {args.screenshots}: {', '.join(missing)}; "
            "run the browser tests first (make e2e)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
