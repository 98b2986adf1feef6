"""Dependencies injected into routes: the app's services, built once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, WebSocket

from neuralscope.bus import EventBus
from neuralscope.config import Settings
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, Store


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
