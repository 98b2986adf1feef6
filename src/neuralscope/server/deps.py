"""Dependencies injected into routes: the app's services, built once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request, WebSocket

from neuralscope.bus import EventBus
from neuralscope.config import Settings
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, Store

# Offsets, steps and trial numbers past a signed 32-bit integer cannot be in the database (and
# overflow SQLite's parameters): such a request is refused with 422 instead of failing.
MAX_INDEX = 2**31 - 1
TrialNumber = Annotated[int, Path(ge=0, le=MAX_INDEX)]


@dataclass
class Services:
    settings: Settings
    store: Store
    recorder: Recorder
    bus: EventBus
    runs: RunManager


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def ws_services(websocket: WebSocket) -> Services:
    services: Services = websocket.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]
WsServicesDep = Annotated[Services, Depends(ws_services)]
