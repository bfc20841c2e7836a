// The login page: citizens (phone + password), receipt holders (ticket number +
// access code), officers (username + password). Each lands on their own page; a
// citizen already signed in goes straight to their requests (/requests).
import { $, api, errorText, initI18n, t } from "./common.js";
import { DICT } from "./i18n.js";
import { withAccounts } from "./i18n_accounts.js";

const next = new URLSearchParams(location.search).get("next");

function safeNext() {
  // only same-site paths: "/x", never "//host" or "http:"
  return next && /^\/(?!\/)/.test(next) ? next : null;
}

/** The page a person lands on (as web/access.py home_of). */
function home(user) {
  if (user.ticket_id) return `/t/${user.ticket_id}`;
  if (user.role === "admin") return "/admin";
  if (user.role === "supervisor") return "/supervisor";
  if (user.role === "citizen") return "/requests";
  return "/officer";
}

function signedIn(user) {
  location.assign(safeNext() || home(user));
}

function wire(formId, errorId, path, fields) {
  const form = $(formId);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const error = $(errorId);
    error.textContent = "";
    const body = {};
    for (const [key, id] of Object.entries(fields)) body[key] = $(id).value.trim();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const { user } = await api("POST", path, body);
      signedIn(user);
    } catch (err) {
      // a wrong login says so; too many wrong ones say how long to wait (retry_after)
      error.textContent = err.status === 401 || err.code === "not_found" ? t("login_failed") : errorText(err);
      form.querySelector("input").focus();
    } finally {
      button.disabled = false;
    }
  });
}

async function main() {
  initI18n(withAccounts(DICT));
  // back from registration or a reset: the phone is filled in
  const phone = new URLSearchParams(location.search).get("phone");
  if (phone) $("citizen-phone").value = phone;
  wire("form-citizen", "citizen-error", "/api/auth/login", { login: "citizen-phone", password: "citizen-password" });
  wire("form-officer", "officer-error", "/api/auth/login", { login: "officer-login", password: "officer-password" });
  wire("form-receipt", "receipt-error", "/api/auth/receipt", { ticket_number: "receipt-number", access_code: "receipt-code" });
  try {
    const { user } = await api("GET", "/api/me");
    if (user.role === "citizen" && !user.ticket_id && !safeNext()) location.assign(home(user));
  } catch (_) {
    /* not signed in: the forms */
  }
}

main().catch((err) => console.error(err));
