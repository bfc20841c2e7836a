// Shared browser helpers for the hub pages (bundled by build.mjs).
//
// XSS policy: there is deliberately NO escapeText()/escapeHtml() helper.
// Untrusted text is always written with `node.textContent = ...` (or
// document.createTextNode), never with innerHTML / insertAdjacentHTML.
import { io } from "socket.io-client";

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
 * `{ok: false, error: {code, message}}`, "timeout" when no ack arrives in
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
        reject(makeError(e.code || "error", e.message || e.code || "request failed"));
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
