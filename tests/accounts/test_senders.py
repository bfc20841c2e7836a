"""The real code senders against loopback gateways: the documented request, its
authentication, retries on 5xx only, and never the code in a log."""

from __future__ import annotations

import io
import logging

import pytest

from hub.account_settings import AccountSettings
from hub.accounts.senders import (
    ConsoleSender,
    DeliveryFailed,
    OtpSender,
    SmsGatewaySender,
    WhatsAppSender,
    build_sender,
)
from tests.accounts.gateway import TOKEN, WHATSAPP_PHONE_ID, WHATSAPP_VERSION, Gateway, run_gateway
from tests.support.services import free_port

PHONE = "6281234567001"
CODE = "482915"


def sender_for(gateway: Gateway, **overrides: str) -> OtpSender:
    config = AccountSettings.from_env({**gateway.env(), **overrides}, "k" * 40)
    return build_sender(config)


async def test_whatsapp_sends_the_documented_authentication_template() -> None:
    async with run_gateway("whatsapp") as gateway:
        sender = sender_for(gateway)
        assert isinstance(sender, WhatsAppSender)
        try:
            await sender.send(PHONE, CODE)
        finally:
            await sender.close()
        delivery = await gateway.next()
    assert delivery.path == f"/{WHATSAPP_VERSION}/{WHATSAPP_PHONE_ID}/messages"
    assert delivery.headers["Authorization"] == f"Bearer {TOKEN}"
    assert delivery.headers["Content-Type"].startswith("application/json")
    assert (delivery.phone, delivery.code) == (PHONE, CODE)
    assert delivery.body["template"]["components"][1]["parameters"][0]["text"] == CODE


async def test_sms_gateway_sends_json_with_its_token_and_the_code() -> None:
    async with run_gateway("sms") as gateway:
        sender = sender_for(gateway, SMS_GATEWAY_SENDER="ASINAN")
        assert isinstance(sender, SmsGatewaySender)
        try:
            await sender.send(PHONE, CODE)
        finally:
            await sender.close()
        delivery = await gateway.next()
    assert delivery.headers["Authorization"] == f"Bearer {TOKEN}"
    assert delivery.body["to"] == PHONE and delivery.body["sender"] == "ASINAN"
    assert CODE in delivery.body["message"] and "berlaku 5 menit" in delivery.body["message"]


async def test_sms_gateway_with_its_own_auth_header() -> None:
    async with run_gateway("sms", header="X-Api-Key") as gateway:
        sender = sender_for(gateway, SMS_GATEWAY_AUTH_HEADER="X-Api-Key")
        try:
            await sender.send(PHONE, CODE)
        finally:
            await sender.close()
        delivery = await gateway.next()
    assert delivery.headers["X-Api-Key"] == TOKEN and "Authorization" not in delivery.headers


async def test_a_wrong_token_is_refused_and_not_retried() -> None:
    async with run_gateway("sms") as gateway:
        sender = sender_for(gateway, SMS_GATEWAY_TOKEN="salah")
        try:
            with pytest.raises(DeliveryFailed) as failed:
                await sender.send(PHONE, CODE)
        finally:
            await sender.close()
    assert failed.value.status == 401
    assert len(gateway.requests) == 1


@pytest.mark.parametrize("kind", ["sms", "whatsapp"])
async def test_5xx_is_retried_with_backoff_until_it_goes_through(kind: str) -> None:
    async with run_gateway(kind) as gateway:
        gateway.answers = [503, 500]
        sender = sender_for(gateway)
        try:
            await sender.send(PHONE, CODE)
        finally:
            await sender.close()
        assert (await gateway.next()).code == CODE
    assert len(gateway.requests) == 3


@pytest.mark.parametrize("kind", ["sms", "whatsapp"])
async def test_4xx_is_not_retried(kind: str) -> None:
    async with run_gateway(kind) as gateway:
        gateway.answers = [400, 200]
        sender = sender_for(gateway)
        try:
            with pytest.raises(DeliveryFailed) as failed:
                await sender.send(PHONE, CODE)
        finally:
            await sender.close()
    assert failed.value.status == 400
    assert len(gateway.requests) == 1


async def test_tries_are_bounded() -> None:
    async with run_gateway("sms") as gateway:
        gateway.answers = [502, 502, 502, 200]
        sender = sender_for(gateway, OTP_SEND_ATTEMPTS="3")
        try:
            with pytest.raises(DeliveryFailed) as failed:
                await sender.send(PHONE, CODE)
        finally:
            await sender.close()
    assert failed.value.status == 502
    assert len(gateway.requests) == 3


async def test_an_unreachable_gateway_is_retried_then_given_up() -> None:
    port = free_port()  # nothing listens there
    config = AccountSettings.from_env(
        {
            "OTP_SENDER": "sms",
            "SMS_GATEWAY_URL": f"http://127.0.0.1:{port}/api/sms",
            "SMS_GATEWAY_TOKEN": TOKEN,
            "OTP_SEND_BACKOFF": "0.01",
        },
        "k" * 40,
    )
    sender = build_sender(config)
    try:
        with pytest.raises(DeliveryFailed) as failed:
            await sender.send(PHONE, CODE)
    finally:
        await sender.close()
    assert failed.value.status is None


@pytest.mark.parametrize("kind", ["sms", "whatsapp"])
async def test_the_code_and_the_phone_never_reach_the_log(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with run_gateway(kind) as gateway:
        gateway.answers = [503, 400]
        sender = sender_for(gateway)
        try:
            with pytest.raises(DeliveryFailed):
                await sender.send(PHONE, CODE)
        finally:
            await sender.close()
    assert len(gateway.requests) == 2
    logged = (
        "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
        + caplog.text
    )
    assert "HTTP 503" in logged and "HTTP 400" in logged  # it did log the failures
    assert CODE not in logged
    assert PHONE not in logged and PHONE[2:] not in logged


async def test_console_sender_shows_the_code_in_a_marked_box() -> None:
    out = io.StringIO()
    await ConsoleSender(out).send(PHONE, CODE)
    text = out.getvalue()
    assert "KODE OTP (DEV)" in text and CODE in text
    assert PHONE not in text  # the number is masked even there
    assert text.count("═") > 10


def test_the_sender_is_chosen_by_settings() -> None:
    assert isinstance(build_sender(AccountSettings.from_env({}, "k" * 40)), ConsoleSender)
