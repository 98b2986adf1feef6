"""The ``neuralscope`` command.

Human-readable output by default (rich; progress on stderr); ``--json`` prints only JSON on
stdout. Errors go to stderr with a non-zero exit code. One module per command (group); this
file only assembles them.
"""

from __future__ import annotations

import typer

from neuralscope import __version__
from neuralscope.cli.analyze import analyze_command, compare_command
from neuralscope.cli.datasets import datasets_app
from neuralscope.cli.decompose import decompose_command
from neuralscope.cli.report import report_command
from neuralscope.cli.runs import runs_app
from neuralscope.cli.search import search
from neuralscope.cli.serve import serve
from neuralscope.cli.train import train
from neuralscope.cli.worker import worker
from neuralscope.cli.zoo import zoo_app

app = typer.Typer(help="See inside neural networks while they train.", no_args_is_help=True)
app.command()(serve)
app.command()(train)
app.command()(search)
app.command()(worker)
app.command("analyze")(analyze_command)
app.command("compare")(compare_command)
app.command("decompose")(decompose_command)
app.command("report")(report_command)
app.add_typer(runs_app, name="runs")
app.add_typer(datasets_app, name="datasets")
app.add_typer(zoo_app, name="zoo")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()


__all__ = ["app", "main"]
