"""Web Push in a headless browser, offline: the subscription points at the loopback push
service of the tests, and pushes reach the real service worker through DevTools.

Chromium cannot subscribe here (no push service without the network, none at all in
an incognito context), so the page's ``PushManager.subscribe`` hands out a device of
:class:`~tests.notifications.push_receiver.Receiver` (its keys made in Python, so the
test decrypts what the hub sends). Everything else is the browser's own: the
permission, the service worker, its ``push`` handler (driven by
``ServiceWorker.deliverPushMessage``) and the notifications it shows.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from notifications.watching import online_key
from tests.notifications.helpers import runtime_of
from tests.notifications.push_receiver import Device
from tests.web.conftest import Pages

#: The page's Push API, answering with the test's device; counts permission prompts.
STUB = """
(() => {
  const device = %s;
  const KEY = "test-push-subscription";
  const make = () => ({
    endpoint: device.endpoint, expirationTime: null, options: {userVisibleOnly: true},
    toJSON: () => device, getKey: () => null,
    unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
  });
  PushManager.prototype.subscribe = async function () {
    localStorage.setItem(KEY, "1");
    return make();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem(KEY) ? make() : null;
  };
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    sessionStorage.setItem("asked", String(Number(sessionStorage.getItem("asked") || 0) + 1));
    return ask(...args);
  };
})();
"""

#: How often this tab asked for the notification permission.
ASKED = "() => Number(sessionStorage.getItem('asked') || 0)"

#: In the service worker: the notifications it shows, once there is one.
SHOWN = """async () => {
  for (let i = 0; i < 100; i++) {
    const list = await self.registration.getNotifications();
    if (list.length) {
      return list.map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data,
        requireInteraction: n.requireInteraction}));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}"""

#: In the service worker: click the notification ``tag`` (a script-made event).
CLICK = """async (tag) => {
  const [n] = await self.registration.getNotifications({tag});
  self.dispatchEvent(new NotificationEvent("notificationclick", {notification: n}));
}"""


async def push_context(pages: Pages, device: Device, *, phone: bool = True) -> Any:
    """A browser context that may notify and whose Push API yields ``device``."""
    ctx = await pages.context(phone=phone)
    await ctx.grant_permissions(["notifications"], origin=pages.live.url)
    await ctx.add_init_script(STUB % json.dumps(device.subscription()))
    return ctx


async def service_worker(ctx: Any) -> Any:
    """The context's service worker (registered by the hub's pages)."""
    if ctx.service_workers:
        return ctx.service_workers[0]
    return await ctx.wait_for_event("serviceworker")


async def deliver_push(ctx: Any, page: Any, origin: str, data: dict[str, Any]) -> None:
    """Hand ``data`` to the service worker's ``push`` handler, as a push service would."""
    cdp = await ctx.new_cdp_session(page)
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def registrations(event: dict[str, Any]) -> None:
        for r in event["registrations"]:
            if not r["isDeleted"] and r["scopeURL"].startswith(origin) and not found.done():
                found.set_result(r["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", registrations)
    await cdp.send("ServiceWorker.enable")
    async with asyncio.timeout(10):
        registration = await found
    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": json.dumps(data)},
    )
    await cdp.detach()


async def all_pages_closed(pages: Pages, who: str) -> None:
    """Wait until the hub has seen every inbox socket of ``who`` close (they are offline)."""
    async with asyncio.timeout(10):
        await runtime_of(pages.live.sio).live.online.until_released(
            online_key(pages.world.users[who])
        )
