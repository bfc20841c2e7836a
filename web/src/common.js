// Shared browser helpers for the hub pages (bundled by build.mjs).
//
// XSS policy: there is deliberately NO escapeText()/escapeHtml() helper.
// Untrusted text is always written with `node.textContent = ...` (or
// document.createTextNode), never with innerHTML / insertAdjacentHTML.
import { io } from "socket.io-client";
import { ERROR_WORDS } from "./i18n_errors.js";

/**
 * Open a socket.io connection to `namespace` (e.g. "/officer").
 * Uses websocket first, falls back to long-polling; sends cookies.
 * If opts.token is set it is sent in the handshake `auth` payload; `auth` is
 * a callback so a reconnect picks up a token changed on `opts` meanwhile.
 */
export function connect(namespace, opts = {}) {
  return io(namespace, {
    transports: ["websocket", "polling"],
    withCredentials: true,
    auth: (cb) => cb(opts.token ? { token: opts.token } : {}),
  });
}

/**
 * Emit `event` with `payload` and wait for the server's ack.
 * Resolves with the ack object when it is `{ok: true, ...}`.
 * Rejects with an Error whose `.code` is the server's error code for
 * `{ok: false, error: {code, reason, message, ...}}` (the whole error in `.details`), "timeout" when no ack arrives in
 * `timeoutMs`, or "bad_ack" for an ack of any other shape.
 */
export function emitAck(socket, event, payload, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (err, ack) => {
      if (err) {
        reject(makeError("timeout", `no ack for "${event}" within ${timeoutMs} ms`));
        return;
      }
      if (ack && ack.ok === true) {
        resolve(ack);
        return;
      }
      if (ack && ack.ok === false) {
        const e = ack.error || {};
        const err = makeError(e.code || "error", e.message || e.code || "request failed");
        err.details = e;
        reject(err);
        return;
      }
      reject(makeError("bad_ack", `malformed ack for "${event}"`));
    });
  });
}

function makeError(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

// ---- i18n -----------------------------------------------------------------

const LANGS = ["id", "en"];
const DEFAULT_LANG = "id";
const STORAGE_KEY = "lang";

let dict = {};
let lang = readStoredLang();

function readStoredLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(v)) return v;
  } catch (_) {
    /* storage unavailable (privacy mode, worker): use default */
  }
  return DEFAULT_LANG;
}

/**
 * Set the UI language ("id" | "en") and, optionally, the dictionary:
 * `{id: {key: "teks"}, en: {key: "text"}}`. The choice persists in
 * localStorage["lang"]. Returns the language in effect.
 */
export function setLang(newLang, dictionary) {
  if (dictionary) dict = dictionary;
  if (newLang != null) {
    lang = LANGS.includes(newLang) ? newLang : DEFAULT_LANG;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch (_) {
      /* ignore */
    }
  }
  if (typeof document !== "undefined") document.documentElement.lang = lang;
  return lang;
}

/** Current language ("id" by default). */
export function getLang() {
  return lang;
}

/** Translate `key`; falls back to Indonesian, then to the key itself. */
export function t(key) {
  const cur = dict[lang];
  if (cur && key in cur) return cur[key];
  const def = dict[DEFAULT_LANG];
  if (def && key in def) return def[key];
  return key;
}

/** `t(key)` with `{name}` placeholders filled from `vars`. */
export function tf(key, vars) {
  return t(key).replace(/\{(\w+)\}/g, (_, k) => (vars && k in vars ? String(vars[k]) : ""));
}

// ---- DOM --------------------------------------------------------------------

/** `document.getElementById`, throwing when the page lacks the node. */
export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing`);
  return node;
}

/**
 * Build an element. `props`: `class`, `text` (textContent), `attrs` (setAttribute),
 * `on` ({event: fn}), any other key is assigned as a property. Children are nodes
 * or strings (strings become text nodes). Never parses HTML.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "attrs") for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Translate every `[data-i18n]` (text) and `[data-i18n-label]` (aria-label) under `root`. */
export function applyI18n(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
}

/**
 * Start i18n for a page: load the dictionary, apply it, wire `#lang-toggle`.
 * `onChange` re-renders the page's dynamic parts after a switch. A page reached by
 * a role redirect (`?denied=<page>`, see web/access.py) says why in a banner.
 */
export function initI18n(dictionary, onChange) {
  setLang(null, dictionary);
  applyI18n();
  const denied = takeDenied();
  const button = document.getElementById("lang-toggle");
  const label = () => {
    if (!button) return;
    const toEn = getLang() === "id";
    button.textContent = toEn ? "English" : "Bahasa Indonesia";
    button.lang = toEn ? "en" : "id";
  };
  label();
  if (button) {
    button.addEventListener("click", () => {
      setLang(getLang() === "id" ? "en" : "id");
      applyI18n();
      label();
      if (denied) denied();
      if (onChange) onChange();
    });
  }
}

/** Show the "that page is not for you" banner of `?denied=`; returns its re-render. */
function takeDenied() {
  const params = new URLSearchParams(location.search);
  const page = params.get("denied");
  if (!page || !/^[a-z_]{1,24}$/.test(page)) return null;
  params.delete("denied");
  const query = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  const banner = el("div", { class: "banner denied", attrs: { id: "denied-banner", role: "status" } });
  const render = () => {
    const key = `page_${page}`;
    banner.textContent = tf("denied_notice", { page: t(key) === key ? page : t(key) });
  };
  render();
  const header = document.querySelector("header");
  if (header) header.after(banner);
  else document.body.prepend(banner);
  return render;
}

// ---- HTTP -------------------------------------------------------------------

/**
 * JSON request to the hub (same origin, cookie sent). Resolves with the body
 * (`{ok: true, ...}`); rejects with an Error carrying `.code` and `.status`.
 * `body` may be a Blob/File (sent raw) or a plain object (sent as JSON).
 */
export async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body instanceof Blob) {
    init.body = body;
    init.headers["Content-Type"] = body.type || "application/octet-stream";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (_) {
    throw makeError("offline", "network error");
  }
  let data = {};
  try {
    data = await response.json();
  } catch (_) {
    /* not JSON */
  }
  if (response.ok && data.ok !== false) return data;
  const e = (data && data.error) || {};
  const err = makeError(e.code || `http_${response.status}`, e.message || response.statusText);
  err.status = response.status;
  err.details = e;
  throw err;
}

/**
 * "Try again in N seconds/minutes" for a wait of `seconds` (the hub's `retry_after`,
 * whole seconds, never 0); null when there is no usable figure.
 */
export function retryText(seconds) {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s <= 0) return null;
  if (s < 60) {
    const n = Math.ceil(s);
    return tf(n === 1 ? "retry_in_second" : "retry_in_seconds", { n });
  }
  const n = Math.ceil(s / 60);
  return tf(n === 1 ? "retry_in_minute" : "retry_in_minutes", { n });
}

/**
 * The one translation of a hub error for a person: the words of its `reason` (else of its
 * `code`) from i18n_errors.js in the page's language, `{name}` filled from the error's
 * details (lists joined with commas). The server's `message` is English for developers and
 * is never shown. Errors made on the page (`offline`, `timeout`) use their `err_*` word.
 */
export function errorText(err) {
  if (!err) return t("err_generic");
  const details = err.details || {};
  if (err.code === "rate_limited") {
    const wait = retryText(details.retry_after);
    if (wait) return wait;
  }
  const words = ERROR_WORDS[details.reason] || ERROR_WORDS[err.code];
  if (words) return fillIn(words[lang === "en" ? 1 : 0], details);
  const key = `err_${err.code}`;
  const text = t(key);
  return text !== key ? text : t("err_generic");
}

function fillIn(text, vars) {
  return text.replace(/\{(\w+)\}/g, (whole, k) => {
    if (!(k in vars) || vars[k] == null) return whole;
    return Array.isArray(vars[k]) ? vars[k].join(", ") : String(vars[k]);
  });
}

/** Load the signed-in user or go to the login page (returning to here after). */
export async function requireUser() {
  try {
    const { user } = await api("GET", "/api/me");
    return user;
  } catch (err) {
    if (err.status === 401) {
      location.assign(`/?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`);
      return new Promise(() => {}); // navigation under way
    }
    throw err;
  }
}

const logoutSteps = [];

/** Run `step` (async, best effort) before signing out: e.g. forget this device's push. */
export function beforeLogout(step) {
  logoutSteps.push(step);
}

/** Wire `#logout` (and show the name in `#who`). */
export function wireLogout(user) {
  const who = document.getElementById("who");
  if (who && user) who.textContent = user.name;
  const button = document.getElementById("logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    for (const step of logoutSteps) {
      try {
        await step();
      } catch (_) {
        /* best effort: signing out goes on */
      }
    }
    try {
      await api("POST", "/api/auth/logout");
    } finally {
      location.assign("/");
    }
  });
}

/** A fresh client-made id for idempotent sends (matches the server's pattern). */
export function newClientId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return "c-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// ---- time: always Western Indonesia Time (WIB), whatever the device's zone -------

export const ZONE = "Asia/Jakarta";
const JAKARTA = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

/** `{year, month, day, hour, minute, second}` (two-digit strings) of `date` in Jakarta. */
export function jakartaParts(date) {
  const out = {};
  for (const { type, value } of JAKARTA.formatToParts(date)) out[type] = value;
  return out;
}

function hm(p) {
  return `${p.hour}${getLang() === "id" ? "." : ":"}${p.minute}`;
}

/** "HH.MM WIB" today (Jakarta's today), else "DD/MM HH.MM WIB". */
export function shortTime(iso) {
  if (!iso) return "";
  const p = jakartaParts(new Date(iso));
  const now = jakartaParts(new Date());
  if (p.year === now.year && p.month === now.month && p.day === now.day) return `${hm(p)} WIB`;
  return `${p.day}/${p.month} ${hm(p)} WIB`;
}

/** "DD/MM/YYYY HH.MM WIB". */
export function fullTime(iso) {
  if (!iso) return "";
  const p = jakartaParts(new Date(iso));
  return `${p.day}/${p.month}/${p.year} ${hm(p)} WIB`;
}

/** The clock in Jakarta, "HH.MM.SS WIB" (a dashboard's "updated at"). */
export function clockTime(date = new Date()) {
  const p = jakartaParts(date);
  const sep = getLang() === "id" ? "." : ":";
  return `${p.hour}${sep}${p.minute}${sep}${p.second} WIB`;
}

/** The page's query flag `relay=1`: force WebRTC through TURN (tests, bad networks). */
export function relayOnly() {
  return new URLSearchParams(location.search).get("relay") === "1";
}
