"""The NIK: what is a plausible one, encrypted at rest, found by a keyed hash, shown masked;
and the account settings that carry its keys and the sender."""

from __future__ import annotations

import base64
import os
from datetime import date

import pytest

from hub.account_settings import AccountSettings
from hub.accounts.nik import NikVault, check_nik, mask_nik, nik_birth_date
from hub.errors import Invalid
from hub.settings import Settings, SettingsError

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("nik", "born"),
    [
        ("3271010101800001", date(1980, 1, 1)),  # Kota Bogor, a man born 1 Jan 1980
        ("3271024508950003", date(1995, 8, 5)),  # a woman: day 05 + 40
        ("3201017112050001", date(2005, 12, 31)),
        ("9601010101200001", date(2020, 1, 1)),  # Papua Barat Daya (2022)
        ("3271 0101 0180 0001", date(1980, 1, 1)),  # as people type it
    ],
)
def test_plausible_niks_pass(nik: str, born: date) -> None:
    clean = check_nik(nik, TODAY)
    assert len(clean) == 16 and nik_birth_date(clean, TODAY) == born


@pytest.mark.parametrize(
    ("nik", "why"),
    [
        ("327101010180000", "16 digits"),  # 15 digits
        ("32710101018000012", "16 digits"),
        ("32710101O1800001", "16 digits"),  # a letter O
        ("３２７１０１０１０１８０００１", "16 digits"),  # full-width digits
        ("2071010101800001", "province"),  # 20 is no province
        ("9971010101800001", "province"),
        ("3200010101800001", "region"),  # kab/kota 00
        ("3271000101800001", "region"),  # kecamatan 00
        ("3271010101800000", "region"),  # serial 0000
        ("3271013002900001", "birth"),  # 30 February
        ("3271013201900001", "birth"),  # day 32
        ("3271017201900001", "birth"),  # day 72 (32 for a woman)
        ("3271010113900001", "birth"),  # month 13
        ("3271010212260001", "birth"),  # 2 Dec 2026: tomorrow
    ],
)
def test_implausible_niks_are_refused(nik: str, why: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_nik(nik, TODAY)
    assert refused.value.details["field"] == "nik"
    assert refused.value.reason.startswith("nik_")
    assert refused.value.message.startswith("Invalid NIK")
    del why


def _vault() -> NikVault:
    return NikVault(os.urandom(32), os.urandom(32))


def test_encrypted_with_a_fresh_nonce_and_opened_only_with_its_key() -> None:
    vault = _vault()
    nik = "3271010101800001"
    one, two = vault.encrypt(nik), vault.encrypt(nik)
    assert one != two and nik not in one and one.startswith("v1.")
    assert vault.decrypt(one) == vault.decrypt(two) == nik
    with pytest.raises(ValueError):
        _vault().decrypt(one)
    assert "keys hidden" in repr(vault)


def test_the_lookup_hash_is_keyed() -> None:
    a, b = _vault(), _vault()
    nik = "3271010101800001"
    assert a.lookup_hash(nik) == a.lookup_hash(nik)
    assert a.lookup_hash(nik) != b.lookup_hash(nik)
    assert a.lookup_hash(nik) != a.lookup_hash("3271010101800002")
    assert len(a.lookup_hash(nik)) == 64


def test_masked() -> None:
    assert mask_nik("3271010101800001") == "3271**********01"


def test_keys_come_from_settings_or_from_the_secret_key() -> None:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    given = AccountSettings.from_env({"NIK_ENCRYPTION_KEY": key}, "s" * 40)
    assert given.nik_encryption_key == base64.urlsafe_b64decode(key)
    derived = AccountSettings.from_env({}, "s" * 40)
    assert derived.nik_encryption_key == AccountSettings.from_env({}, "s" * 40).nik_encryption_key
    assert derived.nik_encryption_key != derived.nik_hash_key
    assert derived.nik_encryption_key != AccountSettings.from_env({}, "t" * 40).nik_encryption_key
    assert key not in repr(given) and "nik_encryption_key" not in repr(given)


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"NIK_ENCRYPTION_KEY": "tooshort"}, "NIK_ENCRYPTION_KEY"),
        ({"NIK_HASH_KEY": "!!!not base64!!!"}, "NIK_HASH_KEY"),
        ({"OTP_SENDER": "pigeon"}, "OTP_SENDER"),
        ({"OTP_SENDER": "whatsapp"}, "WHATSAPP_TOKEN"),
        ({"OTP_SENDER": "sms", "SMS_GATEWAY_URL": "http://gw.local/send"}, "SMS_GATEWAY_TOKEN"),
        ({"SMS_GATEWAY_URL": "ftp://gw.local"}, "SMS_GATEWAY_URL"),
        ({"OTP_SEND_ATTEMPTS": "0"}, "OTP_SEND_ATTEMPTS"),
        ({"WHATSAPP_PHONE_NUMBER_ID": "abc"}, "WHATSAPP_PHONE_NUMBER_ID"),
    ],
)
def test_bad_account_settings_fail_fast_naming_the_key(
    env: dict[str, str], key: str, tmp_path: object
) -> None:
    with pytest.raises(SettingsError, match=key):
        Settings.from_env({"SECRET_KEY": "k" * 40, "DATA_DIR": str(tmp_path), **env})
