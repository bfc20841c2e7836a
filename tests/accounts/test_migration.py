"""Migration 0005 on a database of the first, partial office list, with people in it:
legacy office codes become the Kemendagri-derived ones, offices get hours, services get
documents, the plaintext NIK column goes — and all of it back on downgrade."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import text

from hub.db import Database
from hub.migrate import alembic_config

LEGACY = [
    "INSERT INTO offices (id, code, name, level, parent_id, queue_prefix) VALUES "
    "(1, 'BGR', 'Pemerintah Kota Bogor', 'kota', NULL, 'K'),"
    "(2, 'BGR-BT', 'Kecamatan Bogor Timur', 'kecamatan', 1, 'C'),"
    "(3, 'BGR-BT-01', 'Kelurahan Baranangsiang', 'kelurahan', 2, 'A'),"
    "(4, 'BGR-BT-02', 'Kelurahan Katulampa', 'kelurahan', 2, 'A')",
    "INSERT INTO service_types (id, code, name, name_en, risk, office_level, sla_hours) VALUES "
    "(1, 'SKTM', 'Surat Keterangan Tidak Mampu', 'Certificate of low income', 'high', "
    "'kelurahan', 24)",
    "INSERT INTO users (id, role, full_name, phone, nik, password_hash, office_id, is_active, "
    "created_at) VALUES (1, 'citizen', 'Ahmad', '6281234567801', '3271010101800001', 'x', NULL, "
    "true, '2026-01-01 00:00:00+00')",
    "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES "
    "('s1', 1, '2026-01-01 00:00:00+00', '2027-01-01 00:00:00+00')",
]


async def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    db = Database(url)
    try:
        async with db.reader() as session:
            return [tuple(r) for r in await session.execute(text(sql))]
    finally:
        await db.close()


async def _run(url: str, statements: list[str]) -> None:
    db = Database(url)
    try:
        async with db.transaction() as session:
            for sql in statements:
                await session.execute(text(sql))
    finally:
        await db.close()


async def test_0005_keeps_the_data_of_a_legacy_database(any_db_url: str) -> None:
    cfg = alembic_config(any_db_url)
    await asyncio.to_thread(command.downgrade, cfg, "0004")
    await _run(any_db_url, LEGACY)
    await asyncio.to_thread(command.upgrade, cfg, "head")
    offices = await _rows(any_db_url, "SELECT id, code, kemendagri_code FROM offices ORDER BY id")
    assert offices == [
        (1, "BGR", "32.71"),
        (2, "BGR-BT", "32.71.02"),
        (3, "BGR-BT-02", "32.71.02.1002"),  # Baranangsiang
        (4, "BGR-BT-03", "32.71.02.1003"),  # Katulampa
    ]
    assert await _rows(any_db_url, "SELECT count(*) FROM office_hours") == [(4 * 7,)]
    assert await _rows(any_db_url, "SELECT count(*) FROM service_requirements") == [(3,)]
    assert await _rows(any_db_url, "SELECT standard_value, standard_unit FROM service_types") == [
        (1, "working_days")
    ]
    users = await _rows(any_db_url, "SELECT id, phone, nik_cipher, nik_hash FROM users")
    assert users == [(1, "6281234567801", None, None)]  # the plaintext NIK is gone
    assert await _rows(any_db_url, "SELECT user_id FROM auth_sessions") == [(1,)]
    await asyncio.to_thread(command.downgrade, cfg, "0004")
    back = await _rows(any_db_url, "SELECT id, code FROM offices ORDER BY id")
    assert back == [(1, "BGR"), (2, "BGR-BT"), (3, "BGR-BT-01"), (4, "BGR-BT-02")]
    await asyncio.to_thread(command.upgrade, cfg, "head")
