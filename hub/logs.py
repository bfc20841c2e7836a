"""Structured (JSON-lines) logs; personal data never reaches them.

Nothing in the hub logs NIK, phone, address, tokens or passwords; as a last
guard, digit runs that look like a NIK (16) or a phone number (10–15) are masked.
"""

from __future__ import annotations

import json
import logging
import re
import sys

_PII = re.compile(r"(?<!\d)(\+?\d{10,16})(?!\d)")


def scrub(text: str) -> str:
    return _PII.sub(lambda m: m.group(1)[:3] + "…", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
