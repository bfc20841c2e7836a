"""Web Push: the VAPID key pair of this deployment and one encrypted send.

The key pair is made on first use and kept as ``<data_dir>/vapid/private_key.pem``
(created exclusively, so processes starting together agree on one key). Sending
uses :func:`pywebpush.webpush` (blocking ``requests``), so callers run
:func:`send` in a worker thread, after the transaction that queued it committed.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from hub.metrics import Metrics

logger = logging.getLogger("notifications.push")

#: JWT ``sub`` of our VAPID claims: who push services contact about our traffic.
#: How long a push service keeps an undelivered message (seconds).
PUSH_TTL = 6 * 3600
SEND_TIMEOUT = 10.0


class Outcome(Enum):
    sent = "sent"
    gone = "gone"  # 404/410: the subscription no longer exists
    failed = "failed"  # anything else: kept, tried again with the next notification


class VapidKeys:
    """The deployment's VAPID key pair, loaded (or made) once, thread-safe."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "private_key.pem"
        self._lock = threading.Lock()
        self._vapid: Any = None

    def vapid(self) -> Any:
        with self._lock:
            if self._vapid is None:
                self._vapid = self._load_or_create()
            return self._vapid

    def public_key(self) -> str:
        """The ``applicationServerKey`` for ``pushManager.subscribe``: base64url, unpadded."""
        raw = self.vapid().public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _load_or_create(self) -> Any:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = Vapid()
            fresh.generate_keys()
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process won the race; use its key
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(fresh.private_pem())
                logger.info("generated VAPID keys in %s", self.path.parent)
                return fresh
        return Vapid.from_pem(self.path.read_bytes())


def count(metrics: Metrics, kind: str, outcomes: Iterable[Outcome]) -> None:
    """``asinan_pushes_total{kind, outcome}``: every post, whatever became of it."""
    for outcome in outcomes:
        metrics.pushes.labels(kind, outcome.value).inc()


def send(
    vapid: Any, subject: str, endpoint: str, p256dh: str, auth: str, payload: dict[str, Any]
) -> Outcome:
    """Encrypt ``payload`` (aes128gcm) for one subscription and post it. Blocking."""
    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid,
            vapid_claims={"sub": subject},
            content_encoding="aes128gcm",
            ttl=PUSH_TTL,
            timeout=SEND_TIMEOUT,
        )
    except WebPushException as exc:
        if exc.status_code in (404, 410):
            return Outcome.gone
        logger.warning("push refused (%s)", exc.status_code)
        return Outcome.failed
    except Exception as exc:
        logger.warning("push failed: %s", type(exc).__name__)
        return Outcome.failed
    return Outcome.sent
