"""The access code, kept encrypted so that its owner can be shown it again.

Only an argon2 hash of the code is checked (``hub.passwords``); this copy exists for
display: the ticket page of the applicant and the printable receipt. AES-256-GCM as the
NIK vault (:mod:`hub.accounts.nik`), with its own key (``ACCESS_CODE_KEY``) and the
ticket id bound in as associated data, so a cipher copied to another ticket does not open.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class AccessCodeVault:
    """Seals and opens access codes; the key stays out of ``repr``."""

    _VERSION = "v1"

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "AccessCodeVault(<key hidden>)"

    @staticmethod
    def _aad(ticket_id: int) -> bytes:
        return f"asinan-hub:access-code:{ticket_id}".encode()

    def seal(self, ticket_id: int, code: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, code.encode(), self._aad(ticket_id))
        return f"{self._VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, ticket_id: int, stored: str | None) -> str | None:
        """The code, or None when there is none or it does not open (another key)."""
        if not stored:
            return None
        version, _, payload = stored.partition(".")
        if version != self._VERSION:
            return None
        try:
            raw = base64.urlsafe_b64decode(payload.encode())
            return self._aead.decrypt(raw[:12], raw[12:], self._aad(ticket_id)).decode()
        except (InvalidTag, ValueError):
            return None
