"""``neuralscope.watch``: see inside your own training loop (issue #5).

.. code-block:: python

    with neuralscope.watch(model, optimizer, name="mnist-mlp") as run:
        for x, y in loader:
            logits = model(x); loss = loss_fn(logits, y)
            opt.zero_grad(); loss.backward(); opt.step()
            run.log(loss=loss, outputs=logits, targets=y)   # split="val" for validation
        run.end_epoch()                                     # optional epoch boundaries

The user's model and optimizer are only read: no attribute is set on them and no hook stays
attached outside a sampled step; every hook is removed on exit, exceptions included. Events go
to the local store (``Settings().home``) or, with ``server=``, to a neuralscope server over
HTTP with a local spool when it is unreachable. What is recorded and the live findings are
described in :mod:`neuralscope.watching.collector` and :mod:`neuralscope.monitor.rules`.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType

import torch
from torch import nn

from neuralscope.config import Settings
from neuralscope.events import RunStatus, StatusEvent, StatusPayload
from neuralscope.monitor.hooks import watched_layers
from neuralscope.watching.collector import Collector, Probe
from neuralscope.watching.config import Sink, WatchConfig, WatchRunConfig

__all__ = ["WatchConfig", "WatchRun", "WatchRunConfig", "watch"]

log = logging.getLogger(__name__)


class WatchRun:
    """The handle ``watch()`` returns; use it as a context manager."""

    def __init__(
        self, model: nn.Module, sink: Sink, config: WatchConfig, probe: Probe | None = None
    ) -> None:
        self._sink = sink
        self._collector = Collector(model, sink.run_id, config, probe)
        self._closed = False
        self._failures = 0  # log() calls whose recording failed (logged once)

    @property
    def id(self) -> str:
        return self._sink.run_id

    @property
    def step(self) -> int:
        """Training steps logged so far."""
        return self._collector.step

    @property
    def findings(self) -> set[tuple[str, str | None]]:
        """(code, layer) of every live finding raised so far."""
        return self._collector.rules.findings_so_far

    def log(
        self,
        loss: torch.Tensor | float | None = None,
        outputs: torch.Tensor | None = None,
        targets: torch.Tensor | None = None,
        *,
        inputs: torch.Tensor | None = None,
        split: str = "train",
    ) -> None:
        """Record one batch: a training step (``split="train"``) or an evaluation batch.

        ``outputs`` are class logits (batch, classes) and ``targets`` class indices; with
        ``inputs`` a few samples are kept (as images when they look like images).
        """
        if self._closed:
            raise RuntimeError("this watched run has ended")
        try:
            events = self._collector.log(loss, outputs, targets, inputs, split)
        except Exception:  # watching must never break the user's training
            self._failures += 1
            if self._failures == 1:
                log.exception("watch: recording this step failed; training continues")
            self._collector.probe.detach()
            return
        self._sink.emit(events)

    def end_epoch(self) -> None:
        """Close the epoch: calibration, epoch metrics and the overfitting rules."""
        self._sink.emit(self._collector.end_epoch())

    def _status(self, status: RunStatus, reason: str | None = None) -> None:
        event = StatusEvent(
            run_id=self.id,
            step=self._collector.step,
            time=time.time(),
            payload=StatusPayload(status=status, reason=reason),
        )
        self._sink.emit([event])

    def __enter__(self) -> WatchRun:
        self._status(RunStatus.RUNNING)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if isinstance(exc, KeyboardInterrupt):
            self.close(stopped=True)
        else:
            self.close(None if exc is None else f"{type(exc).__name__}: {exc}")

    def close(self, error: str | None = None, *, stopped: bool = False) -> None:
        """Remove every hook, flush the last window and end the run (FAILED with ``error``)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._collector.probe.detach()
            self._sink.emit(self._collector.finish())
            if stopped:
                self._status(RunStatus.STOPPED, "interrupted")
            elif error is None:
                self._status(RunStatus.COMPLETED)
            else:
                self._status(RunStatus.FAILED, error)
        finally:
            self._collector.probe.detach()
            self._sink.close()


def watch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    *,
    name: str = "watched run",
    server: str | None = None,
    token: str | None = None,
    config: WatchConfig | None = None,
    settings: Settings | None = None,
    probe: tuple[torch.Tensor, torch.Tensor | None] | None = None,
) -> WatchRun:
    """Watch ``model`` (and read ``optimizer``'s class) while your own loop trains it.

    Args:
        model: any ``nn.Module``, on any device.
        optimizer: the optimizer, only read for the run's description.
        name: the run's name in ``neuralscope runs list`` and the web app.
        server: a neuralscope server URL; events are sent there (spooled locally while it is
            unreachable). Without it, events go to the local store.
        token: the server's API token.
        config: cadences, sizes and rule thresholds.
        settings: where the local store (and the spool) live; default from the environment.
        probe: a fixed batch ``(inputs, targets)`` (targets may be None) on which the
            functional modules of the watched layers are decomposed during training (issue
            #7; ``config.modules_every``): a few hundred held-out samples. Without it, no
            modules are recorded.
    """
    config = config or WatchConfig()
    settings = settings or Settings()

    run_config = WatchRunConfig(
        model=type(model).__name__,
        parameters=sum(p.numel() for p in model.parameters()),
        layers=[n for n, _ in watched_layers(model)],
        optimizer=None if optimizer is None else type(optimizer).__name__,
        watch=config,
    )
    # Imported here: ``import neuralscope`` must not load the store or HTTP client (DESIGN.md,
    # imports point down; engines importing the package must not pull the floors above).
    from neuralscope.watching.remote import ServerSink
    from neuralscope.watching.sinks import LocalSink

    sink: Sink
    if server is None:
        sink = LocalSink(settings, name, run_config)
    else:
        sink = ServerSink(server, token, name, run_config, settings)
    return WatchRun(model, sink, config, probe)
