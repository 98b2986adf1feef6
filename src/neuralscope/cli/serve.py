"""``neuralscope serve``: the API and the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from neuralscope import __version__
from neuralscope.bus import EventBus
from neuralscope.cli._common import DbOpt, HomeOpt, err, fail, open_store, settings_from
from neuralscope.config import Settings
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, Store, mask_url


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind [default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [default 8765]")] = None,
    home: HomeOpt = None,
    db: DbOpt = None,
    token: Annotated[
        str | None, typer.Option(help="Bearer token clients must send [env NEURALSCOPE_TOKEN]")
    ] = None,
    demo: Annotated[bool, typer.Option(help="Seed demo runs into an empty database")] = False,
) -> None:
    """Serve the API and the web app."""
    import uvicorn

    from neuralscope.server import create_app

    settings = settings_from(host=host, port=port, home=home, database_url=db, token=token)
    if not settings.is_loopback and not settings.token_value():
        fail(
            f"refusing to listen on {settings.host} without a token: anyone on the network "
            "could start training and read your runs. Pass --token (or set NEURALSCOPE_TOKEN), "
            "or bind 127.0.0.1."
        )
    # Open the database here: an unreachable or foreign one is a one-line error, not a
    # traceback from the server's start-up.
    store = open_store(settings)
    try:
        if demo:
            with Recorder(store) as recorder:
                added = _seed_demo(store, recorder, settings)
            if added:
                err.print(f"seeded {added} demo runs")
            _seed_zoo(settings)
    finally:
        store.close()
    err.print(
        f"neuralscope {__version__} on [bold]http://{settings.host}:{settings.port}[/] "
        f"(database: {mask_url(settings.db_url)})"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        # Frames are mostly base64 grids that barely compress, and deflating them per viewer
        # takes the GIL away from the training threads.
        ws_per_message_deflate=False,
    )


def _seed_demo(store: Store, recorder: Recorder, settings: Settings) -> int:
    from neuralscope.demo import seed_demo

    manager = RunManager(
        store,
        recorder,
        EventBus(),
        device=settings.resolve_device(),
        data_home=settings.datasets_dir,
    )
    with err.status("training demo runs..."):
        return seed_demo(manager)


def _seed_zoo(settings: Settings) -> None:
    import torch

    from neuralscope.demo import seed_zoo

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny nets: one thread is as fast, and never oversubscribes
    try:
        with err.status("training the Playground's model zoo (once)..."):
            cards = seed_zoo(settings.home)
    finally:
        torch.set_num_threads(threads)
    if cards:
        err.print(f"trained {len(cards)} zoo models into {settings.home / 'zoo'}")
