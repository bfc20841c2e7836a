"""One definition of each error's words: the hub names a ``reason`` (hub/error_reasons.py), the
pages hold its words in both languages (web/src/i18n_errors.js), the protocol lists it, and no
error message on the wire is "Indonesian / English" (issue #16, item 5)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

from hub.error_reasons import REASONS
from hub.errors import ERROR_CODES, HubError, Invalid, NotFound, RateLimited, error_body

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hub", "chat", "signaling", "notifications", "web")
WORDS = ROOT / "web" / "src" / "i18n_errors.js"
PROTOCOL = ROOT / "docs" / "protocol.md"

#: Words that give Indonesian away in a developer message.
INDONESIAN = re.compile(
    r"\b(tidak|harus|wajib|hanya|sudah|belum|atau|dan|dengan|kode|surat|tiket|kantor|"
    r"petugas|pemohon|berkas|dokumen|isian|pilih|silakan|terlalu|maksimal|salah|ditemukan)\b",
    re.IGNORECASE,
)
BILINGUAL = re.compile(r"\S \/ \S")
_ROW = re.compile(r'^  ([a-z_]+): \[("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\],$', re.MULTILINE)


def error_classes() -> dict[str, str]:
    """Class name → code, for every :class:`HubError` subclass."""
    found: dict[str, str] = {}
    todo = list(HubError.__subclasses__())
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls.code
        todo += cls.__subclasses__()
    return found


def page_words() -> dict[str, tuple[str, str]]:
    text = WORDS.read_text()
    rows = {k: (json.loads(i), json.loads(e)) for k, i, e in _ROW.findall(text)}
    assert len(rows) == text.count("\n  "), "a line of i18n_errors.js is not `reason: [id, en],`"
    return rows


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def raise_sites() -> Iterator[tuple[str, str, ast.Call, str]]:
    """Every call of an error class in the hub's code: (where, class name, call, source)."""
    classes = error_classes()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
                if name in classes:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", name, node, source


def test_every_reason_has_a_code_and_terse_english() -> None:
    assert set(ERROR_CODES) <= set(REASONS)  # a code stands for itself when nothing is more precise
    for reason, (code, english) in REASONS.items():
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", reason), reason
        assert code in ERROR_CODES, reason
        assert english and not BILINGUAL.search(english), reason
        assert not INDONESIAN.search(english), (reason, english)


def test_every_reason_has_indonesian_and_english_words_on_the_pages() -> None:
    words = page_words()
    assert sorted(words) == sorted(REASONS)
    for reason, (indonesian, english) in words.items():
        assert indonesian and english and indonesian != english, reason
        assert not BILINGUAL.search(indonesian) and not BILINGUAL.search(english), reason
        # the page fills the same details the server's text names
        wanted = placeholders(REASONS[reason][1])
        assert placeholders(indonesian) == placeholders(english) == wanted, reason


def test_every_raise_names_a_registered_reason_of_its_own_code() -> None:
    classes = error_classes()
    problems: list[str] = []
    used: set[str] = set()
    for where, name, call, source in raise_sites():
        position = 1 if name == "RateLimited" else 0
        reason = call.args[position] if len(call.args) > position else None
        for kw in call.keywords:
            if kw.arg == "reason":
                reason = kw.value
            if kw.arg == "message" and isinstance(kw.value, ast.Constant | ast.JoinedStr):
                text = ast.get_source_segment(source, kw.value) or ""
                if BILINGUAL.search(text) or INDONESIAN.search(text):
                    problems.append(f"{where}: message not in English only: {text}")
        if reason is None:
            continue
        if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
            used.add(reason.value)
            if reason.value not in REASONS:
                problems.append(f"{where}: {name}({reason.value!r}) is not in REASONS")
            elif REASONS[reason.value][0] != classes[name]:
                problems.append(f"{where}: {reason.value!r} is a {REASONS[reason.value][0]} reason")
        elif not isinstance(reason, ast.Name):  # a helper's parameter, checked at its callers
            problems.append(f"{where}: the reason must be a literal slug, not {ast.dump(reason)}")
    assert problems == []
    # the literals given to helpers (`_refuse(name, "walk_in_only")`) are reasons too
    text = "\n".join(
        p.read_text()
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("*.py")
        if p.name != "error_reasons.py"
    )
    unused = [r for r in REASONS if r not in used and f'"{r}"' not in text and r not in ERROR_CODES]
    assert unused == []


def test_no_error_on_the_wire_speaks_indonesian() -> None:
    for reason, (code, _english) in REASONS.items():
        cls = next(c for c in _leaf_classes() if c.code == code)
        exc = RateLimited(3, reason) if cls is RateLimited else cls(reason)
        body = error_body(exc)["error"]
        assert body["code"] == code and body["reason"] == reason
        assert not BILINGUAL.search(body["message"]) and not INDONESIAN.search(body["message"])


def test_the_body_carries_reason_message_and_details() -> None:
    assert error_body(Invalid("comment_too_long", field="body", max=4000)) == {
        "ok": False,
        "error": {
            "code": "invalid",
            "reason": "comment_too_long",
            "message": "A message has at most 4000 characters",
            "field": "body",
            "max": 4000,
        },
    }
    assert NotFound().to_dict() == {
        "code": "not_found",
        "reason": "not_found",
        "message": "Not found",
    }
    lists = Invalid("documents_required", documents=["KTP", "KK"]).message
    assert lists == "Required documents not uploaded: KTP, KK"


def test_the_protocol_lists_every_reason_with_its_code() -> None:
    section = PROTOCOL.read_text().split("<!-- reasons:start", 1)[1].split("<!-- reasons:end", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| `([a-z_]+)` \|", section, re.MULTILINE)
    assert rows == [(reason, code) for reason, (code, _e) in REASONS.items()]


def _leaf_classes() -> list[type[HubError]]:
    out: list[type[HubError]] = []
    todo = list(HubError.__subclasses__())
    while todo:
        cls = todo.pop(0)
        out.append(cls)
        todo += cls.__subclasses__()
    return out
