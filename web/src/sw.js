// Service worker (bundled separately to static/dist/sw.js, served as /sw.js).
// Shows Web Push notifications — an incoming call stays until answered, replaced by
// the missed call if nobody answers — and on a click opens the page the push names:
// a window already on it is focused, another of ours is taken there, else a new one.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The ticket id of a hub URL ("/tickets/7", "/t/7", "/ticket/7"), else null. */
function ticketOf(url) {
  const m = /^\/(?:tickets?|t)\/(\d+)/.exec(new URL(url, self.location.origin).pathname);
  return m ? m[1] : null;
}

async function show(msg) {
  const { title = "ASINAN", body = "", url = "/", tag, kind } = msg;
  const call = kind === "incoming_call";
  const ticket = ticketOf(url);
  if (kind === "missed_call" && ticket) {
    // the ring is over: its "Panggilan masuk" goes, the missed call takes its place
    for (const n of await self.registration.getNotifications()) {
      if (n.data && n.data.kind === "incoming_call" && n.data.ticket === ticket) n.close();
    }
  }
  await self.registration.showNotification(title, {
    body,
    tag,
    renotify: call,
    requireInteraction: call,
    data: { url, kind: kind || null, ticket },
  });
}

self.addEventListener("push", (event) => {
  let msg = {};
  try {
    msg = event.data ? event.data.json() : {};
  } catch (_) {
    msg = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(show(msg));
});

/** Focus a window on `url`, or take one of ours there, or open a new one. */
async function openTarget(url) {
  const target = new URL(url, self.location.origin);
  const ticket = ticketOf(target.href);
  const list = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = list.find((c) => {
    const here = new URL(c.url);
    return here.href === target.href || (ticket && ticketOf(here.href) === ticket && here.pathname.startsWith("/t"));
  });
  if (same) return same.focus();
  const ours = list.find((c) => new URL(c.url).origin === target.origin && "navigate" in c);
  if (ours) {
    const moved = await ours.navigate(target.href).catch(() => null);
    if (moved) return moved.focus().catch(() => moved);
  }
  return self.clients.openWindow ? self.clients.openWindow(target.href) : undefined;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  const opening = openTarget(url);
  try {
    event.waitUntil(opening);
  } catch (_) {
    /* an event made by script (tests) cannot be extended */
  }
});

// The push service renewed the subscription: tell the hub (the cookie goes along).
self.addEventListener("pushsubscriptionchange", (event) => {
  const renew = async () => {
    const old = event.oldSubscription;
    const options = old ? old.options : null;
    const sub = event.newSubscription || (options ? await self.registration.pushManager.subscribe(options) : null);
    if (!sub) return;
    await fetch("/api/push/subscribe", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(sub.toJSON()),
    });
  };
  event.waitUntil(renew());
});
