// My account: the profile (personal data masked) and a password change, which ends
// every other session of the account. The bell, the menu and (for citizens) incoming
// calls come from shell.js.
import { $, api, el, initI18n, requireUser, t, tf } from "./common.js";
import { DICT } from "./i18n.js";
import { withAccounts } from "./i18n_accounts.js";
import { withCitizen } from "./i18n_citizen.js";
import { messageOf } from "./accounts_common.js";
import { startShell } from "./shell.js";

let account = null;
let shell = null;

function renderProfile() {
  const dl = $("profile");
  dl.textContent = "";
  if (!account) {
    dl.append(el("dd", { text: t("no_account") }));
    return;
  }
  const rows = [
    ["full_name", account.full_name],
    ["username", account.username],
    ["phone", account.phone],
    ["nik_optional", account.nik],
    ["residence", account.residence && account.residence.name],
    ["role", t(`role_${account.role}`)],
  ];
  for (const [key, value] of rows) {
    if (!value) continue;
    dl.append(el("div", {}, el("dt", { text: t(key) }), el("dd", { text: value })));
  }
}

async function main() {
  initI18n(withCitizen(withAccounts(DICT)), () => {
    renderProfile();
    if (shell) shell.rerender();
  });
  const user = await requireUser();
  shell = startShell(user);
  window.hub = { page: "account", shell };
  try {
    ({ account } = await api("GET", "/api/accounts/profile"));
  } catch (_) {
    account = null;
    $("password-card").hidden = true;
  }
  renderProfile();
  const form = $("form-password");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    $("password-error").textContent = "";
    $("password-done").textContent = "";
    if ($("new-password").value !== $("confirm-password").value) {
      $("password-error").textContent = t("passwords_differ");
      $("confirm-password").focus();
      return;
    }
    try {
      const { sessions_ended } = await api("POST", "/api/accounts/password", {
        current_password: $("current-password").value,
        new_password: $("new-password").value,
      });
      form.reset();
      $("password-done").textContent = tf("password_changed", { n: sessions_ended });
    } catch (err) {
      $("password-error").textContent = messageOf(err);
    }
  });
}

main().catch((err) => console.error(err));
