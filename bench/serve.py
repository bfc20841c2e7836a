"""``python -m bench.serve hub|b0|b1 PORT``: one server, with the flags every Python server shares.

The hub reads its settings from the environment, as ``asinan-hub serve`` does; only the
uvicorn flags differ from the CLI's (named here once, for the hub and the baselines alike).
"""

from __future__ import annotations

import sys
from typing import Any

import uvicorn

from bench.loadworker import raise_nofile

UVICORN_FLAGS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "ws": "websockets-sansio",
    "ws_per_message_deflate": False,
    "log_level": "warning",
    "access_log": False,
    "lifespan": "on",
    "backlog": 4096,
    # as `asinan-hub serve`: socket.io has its own heartbeat; none at the websocket level
    "ws_ping_interval": None,
}


def _app(kind: str) -> Any:
    if kind == "hub":
        import os

        from hub.app import create_app, tune_process
        from hub.logs import configure
        from hub.settings import Settings

        settings = Settings.from_env()
        configure(settings.log_level)
        app = create_app(settings)
        if not os.environ.get("HUB_NO_TUNE"):  # A/B only
            tune_process()
        return app
    if kind == "b0":
        from bench.baselines.b0_asgi import app

        return app
    if kind == "b1":
        from bench.baselines.b1_socketio import make_app

        return make_app()
    raise SystemExit(f"unknown server {kind!r}")


def main(argv: list[str]) -> None:
    kind, port = argv[0], int(argv[1])
    raise_nofile()
    log_config = None if kind == "hub" else uvicorn.config.LOGGING_CONFIG
    flags = dict(UVICORN_FLAGS)
    if kind == "hub":  # as `asinan-hub serve`; the baselines keep uvicorn's own protocol
        from hub.realtime.lean import WS_PROTOCOL

        flags["ws"] = WS_PROTOCOL
    uvicorn.run(_app(kind), host="127.0.0.1", port=port, log_config=log_config, **flags)


if __name__ == "__main__":
    main(sys.argv[1:])
