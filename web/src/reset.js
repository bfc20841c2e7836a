// Password reset by code: the phone, then the code and a new password. Every old
// session of the account ends (its sockets close everywhere).
import { $, api, initI18n } from "./common.js";
import { DICT } from "./i18n.js";
import { withAccounts } from "./i18n_accounts.js";
import { focusField, messageOf, wireCodeStep } from "./accounts_common.js";

async function main() {
  initI18n(withAccounts(DICT));
  wireCodeStep("reset", "reset", () => {
    $("step-details").hidden = false;
    $("reset-code").focus();
  });
  const form = $("form-details");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const error = $("details-error");
    error.textContent = "";
    const body = { phone: $("reset-phone").value.trim(), code: $("reset-code").value.trim(), password: $("reset-password").value };
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("POST", "/api/accounts/reset", body);
      $("step-phone").hidden = true;
      $("step-details").hidden = true;
      $("step-done").hidden = false;
      $("go-login").href = `/?phone=${encodeURIComponent(body.phone)}`;
      $("h-done").focus();
    } catch (err) {
      error.textContent = messageOf(err);
      focusField(err, { code: "reset-code", password: "reset-password" });
    } finally {
      button.disabled = false;
    }
  });
}

main().catch((err) => console.error(err));
