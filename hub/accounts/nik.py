"""The NIK (Nomor Induk Kependudukan): checked, stored encrypted, found by a keyed hash.

A NIK is 16 digits: province (2), kabupaten/kota (2), kecamatan (2), birth date DDMMYY
(women add 40 to the day), then a serial number (4). :func:`check_nik` refuses one that
cannot be real. :class:`NikVault` encrypts it (AES-256-GCM) and makes the keyed hash
(HMAC-SHA256) by which it is found; both keys come from the settings. A NIK is never
logged, never exported, and shown only masked (:func:`mask_nik`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hub.errors import Invalid

#: The 38 provinces (Kepmendagri No. 300.2.2-2138 Tahun 2025), by code.
PROVINCES: frozenset[str] = frozenset(
    ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35",
     "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
     "81", "82", "91", "92", "93", "94", "95", "96")
)  # fmt: skip


def nik_birth_date(nik: str, today: date) -> date | None:
    """The birth date a NIK carries (``None`` if it is no real date, or in the future)."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40  # women
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        born = date(century + year, month, day)
    except ValueError:
        return None
    return born if born <= today else None


def check_nik(raw: str, today: date) -> str:
    """The NIK in ``raw`` (spaces and dots allowed) if it can be real; else :class:`Invalid`.

    16 digits; a known province; kabupaten/kota, kecamatan and serial not zero; a real
    birth date (day + 40 for women) not after ``today``.
    """
    nik = "".join(ch for ch in raw if ch not in " .-")
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        raise Invalid("nik_digits", field="nik")
    if nik[:2] not in PROVINCES:
        raise Invalid("nik_province", field="nik")
    if nik[2:4] == "00" or nik[4:6] == "00" or nik[12:] == "0000":
        raise Invalid("nik_region", field="nik")
    if nik_birth_date(nik, today) is None:
        raise Invalid("nik_birth_date", field="nik")
    return nik


def mask_nik(nik: str) -> str:
    """``3271**********01``: the region's first four digits and the last two."""
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


class NikVault:
    """Encrypts NIKs and makes their lookup hashes; the keys stay out of ``repr``."""

    _VERSION = "v1"
    _AAD = b"asinan-hub:nik"

    def __init__(self, encryption_key: bytes, hash_key: bytes) -> None:
        self._aead = AESGCM(encryption_key)
        self._hash_key = hash_key

    def __repr__(self) -> str:
        return "NikVault(<keys hidden>)"

    def encrypt(self, nik: str) -> str:
        """``v1.<base64(nonce ‖ ciphertext ‖ tag)>``; a fresh random nonce each time."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, nik.encode(), self._AAD)
        return f"{self._VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        version, _, payload = stored.partition(".")
        if version != self._VERSION:
            raise ValueError("unknown NIK cipher version")
        raw = base64.urlsafe_b64decode(payload.encode())
        try:
            return self._aead.decrypt(raw[:12], raw[12:], self._AAD).decode()
        except InvalidTag:
            raise ValueError("NIK cipher does not open with this key") from None

    def lookup_hash(self, nik: str) -> str:
        """HMAC-SHA256 of the NIK (hex): equal NIKs, equal hashes; useless without the key."""
        return hmac.new(self._hash_key, nik.encode(), hashlib.sha256).hexdigest()
