// Citizen self-registration (phone first, 360 px): a code to the phone, then the code,
// name, kelurahan of residence, optional NIK and a password.
import { $, api, el, initI18n } from "./common.js";
import { DICT } from "./i18n.js";
import { withAccounts } from "./i18n_accounts.js";
import { focusField, messageOf, wireCodeStep } from "./accounts_common.js";

const FIELDS = { code: "reg-code", full_name: "reg-name", residence_office_id: "reg-kelurahan", nik: "reg-nik", password: "reg-password", phone: "reg-phone" };

async function fillKelurahan() {
  const { offices } = await api("GET", "/api/reference");
  const select = $("reg-kelurahan");
  select.textContent = "";
  select.append(el("option", { value: "", text: "—" }));
  for (const kec of offices.filter((o) => o.level === "kecamatan")) {
    const group = el("optgroup", { label: kec.name });
    for (const kel of offices.filter((o) => o.parent_id === kec.id)) {
      group.append(el("option", { value: String(kel.id), text: kel.name.replace(/^Kelurahan /, "") }));
    }
    select.append(group);
  }
}

async function main() {
  initI18n(withAccounts(DICT));
  await fillKelurahan();
  wireCodeStep("reg", "register", () => {
    $("step-details").hidden = false;
    $("reg-code").focus();
  });
  const form = $("form-details");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const error = $("details-error");
    error.textContent = "";
    $("taken-links").hidden = true;
    const nik = $("reg-nik").value.replace(/\D/g, "");
    const body = {
      phone: $("reg-phone").value.trim(),
      code: $("reg-code").value.trim(),
      full_name: $("reg-name").value.trim(),
      residence_office_id: Number($("reg-kelurahan").value),
      password: $("reg-password").value,
    };
    if (nik) body.nik = nik;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("POST", "/api/accounts/register", body);
      $("step-phone").hidden = true;
      $("step-details").hidden = true;
      $("step-done").hidden = false;
      $("go-login").href = `/?phone=${encodeURIComponent(body.phone)}`;
      $("h-done").focus();
    } catch (err) {
      error.textContent = messageOf(err);
      if (err.code === "conflict") $("taken-links").hidden = false;
      focusField(err, FIELDS);
    } finally {
      button.disabled = false;
    }
  });
}

main().catch((err) => console.error(err));
