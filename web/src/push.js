// Web Push on this device: the service worker, the permission (asked only when the
// person presses a button), the subscription kept on the hub (docs/protocol.md §7).
import { api } from "./common.js";

/** Can this browser receive pushes at all (service worker, Push API, notifications)? */
export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

let registering = null;

/** Register `/sw.js` for the whole site (once per page); null where unsupported. */
export function registerWorker() {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  if (!registering) {
    registering = navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err) => {
      console.warn("service worker not registered", err);
      return null;
    });
  }
  return registering;
}

function keyBytes(b64url) {
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** This browser's push subscription, or null. */
export async function currentSubscription() {
  if (!pushSupported()) return null;
  const reg = await registerWorker();
  if (!reg) return null;
  try {
    return await reg.pushManager.getSubscription();
  } catch (_) {
    return null;
  }
}

function fail(code) {
  const err = new Error(code);
  err.code = code;
  return err;
}

/**
 * Ask for permission (the browser's prompt: call this from a click), subscribe this
 * browser and tell the hub. Resolves with the subscription; rejects with `.code`
 * "push_unsupported" | "push_denied" | the hub's error.
 */
export async function enablePush() {
  if (!pushSupported()) throw fail("push_unsupported");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw fail("push_denied");
  const reg = await registerWorker();
  if (!reg) throw fail("push_unsupported");
  await navigator.serviceWorker.ready;
  let sub = await reg.pushManager.getSubscription();
  if (!sub) {
    const { public_key: key } = await api("GET", "/api/push/vapid-public-key");
    sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  }
  await api("POST", "/api/push/subscribe", sub.toJSON());
  return sub;
}

/**
 * Keep the hub's copy of this browser's subscription (it moves to whoever signed in
 * last here); once per tab session, and never asks for anything.
 */
export async function refreshSubscription() {
  if (!pushSupported() || Notification.permission !== "granted") return;
  try {
    if (sessionStorage.getItem("push-refreshed")) return;
  } catch (_) {
    /* no storage: refresh */
  }
  const sub = await currentSubscription();
  if (!sub) return;
  await api("POST", "/api/push/subscribe", sub.toJSON());
  try {
    sessionStorage.setItem("push-refreshed", "1");
  } catch (_) {
    /* ignore */
  }
}

/** Forget the subscription at `endpoint` on the hub; if it is this browser's, end it here too. */
export async function forgetDevice(endpoint) {
  const sub = await currentSubscription();
  await api("POST", "/api/push/unsubscribe", { endpoint });
  if (sub && sub.endpoint === endpoint) {
    await sub.unsubscribe().catch(() => {});
    try {
      sessionStorage.removeItem("push-refreshed");
    } catch (_) {
      /* ignore */
    }
  }
}

/** The devices (push subscriptions) of the signed-in person, from the hub. */
export async function listDevices() {
  const { subscriptions } = await api("GET", "/api/push/subscriptions");
  return subscriptions;
}
