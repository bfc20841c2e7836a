// Service worker (bundled separately to static/dist/sw.js).
// Shows Web Push notifications and focuses/opens the page on click.

self.addEventListener("push", (event) => {
  let msg = {};
  try {
    msg = event.data ? event.data.json() : {};
  } catch (_) {
    msg = { body: event.data ? event.data.text() : "" };
  }
  const { title = "Asinan Hub", body = "", url = "/", tag } = msg;
  event.waitUntil(
    self.registration.showNotification(title, { body, tag, data: { url } }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(
    (event.notification.data && event.notification.data.url) || "/",
    self.location.origin,
  ).href;
  event.waitUntil(
    self.clients
      .matchAll({ type: "window", includeUncontrolled: true })
      .then((list) => {
        for (const client of list) {
          if (client.url === url && "focus" in client) return client.focus();
        }
        return self.clients.openWindow ? self.clients.openWindow(url) : undefined;
      }),
  );
});
