// The login page: citizens (phone + password), receipt holders (ticket number +
// access code), officers (username + password). A signed-in citizen sees their
// requests and can submit a new one.
import { $, api, el, errorText, initI18n, shortTime, t, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withAccounts } from "./i18n_accounts.js";
import { statusLabel } from "./timeline.js";

const next = new URLSearchParams(location.search).get("next");
let reference = null;

function safeNext() {
  // only same-site paths: "/x", never "//host" or "http:"
  return next && /^\/(?!\/)/.test(next) ? next : null;
}

function home(user) {
  if (user.ticket_id) return `/t/${user.ticket_id}`;
  if (user.role === "admin") return "/admin";
  if (user.role === "supervisor") return "/supervisor";
  if (user.role === "citizen") return null;
  return "/officer";
}

async function signedIn(user) {
  const target = safeNext() || home(user);
  if (target) {
    location.assign(target);
    return;
  }
  await showMine();
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
      await signedIn(user);
    } catch (err) {
      // a wrong login says so; too many wrong ones say how long to wait (retry_after)
      error.textContent = err.status === 401 || err.code === "not_found" ? t("err_unauthenticated") : errorText(err);
      form.querySelector("input").focus();
    } finally {
      button.disabled = false;
    }
  });
}

async function showMine() {
  for (const id of ["form-citizen", "form-receipt", "form-officer"]) $(id).closest("section").hidden = true;
  $("my-tickets").hidden = false;
  const list = $("my-ticket-list");
  list.textContent = "";
  const { tickets } = await api("GET", "/api/tickets?limit=50");
  if (!tickets.length) list.append(el("li", { text: t("no_tickets") }));
  for (const tk of tickets) {
    list.append(el("li", {}, el("a", { href: `/t/${tk.id}` },
      el("strong", { text: `${tk.queue} · ${tk.number}` }), " ",
      el("span", { text: `${tk.service.name} — ${statusLabel(tk.status)} (${shortTime(tk.created_at)})` }))));
  }
  if (!reference) reference = await api("GET", "/api/reference");
  const service = $("new-service");
  service.textContent = "";
  for (const s of reference.services) {
    service.append(el("option", { value: s.code, text: document.documentElement.lang === "en" ? s.name_en || s.name : s.name }));
  }
  const fillOffices = () => {
    const s = reference.services.find((x) => x.code === service.value);
    const office = $("new-office");
    office.textContent = "";
    for (const o of reference.offices.filter((x) => !s || x.level === s.office_level)) {
      office.append(el("option", { value: String(o.id), text: o.name }));
    }
  };
  service.onchange = fillOffices;
  fillOffices();
  $("h-mine").focus();
}

async function main() {
  initI18n(withAccounts(DICT), () => {
    if (!$("my-tickets").hidden) showMine().catch(() => {});
  });
  $("h-mine").tabIndex = -1;
  // back from registration or a reset: the phone is filled in
  const phone = new URLSearchParams(location.search).get("phone");
  if (phone) $("citizen-phone").value = phone;
  wire("form-citizen", "citizen-error", "/api/auth/login", { login: "citizen-phone", password: "citizen-password" });
  wire("form-officer", "officer-error", "/api/auth/login", { login: "officer-login", password: "officer-password" });
  wire("form-receipt", "receipt-error", "/api/auth/receipt", { ticket_number: "receipt-number", access_code: "receipt-code" });
  $("form-new").addEventListener("submit", (e) => {
    // The request itself is made on /ajukan: documents, form, a draft kept on the server.
    e.preventDefault();
    const q = new URLSearchParams({ service: $("new-service").value, office: $("new-office").value });
    location.assign(`/ajukan?${q}`);
  });
  $("login-logout").addEventListener("click", async () => {
    await api("POST", "/api/auth/logout").catch(() => {});
    location.assign("/");
  });
  try {
    const { user } = await api("GET", "/api/me");
    if (user.role === "citizen" && !user.ticket_id && !safeNext()) await showMine();
  } catch (_) {
    /* not signed in: the forms */
  }
}

main().catch((err) => console.error(err));
export { wireLogout };
