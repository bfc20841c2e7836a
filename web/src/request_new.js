// The new-request form (/requests/new): a letter and the office that issues it. Once
// submitted, the ticket page opens and offers notifications (`?baru=1`): the moment
// to ask, never on page load.
import { $, api, el, errorText, initI18n, requireUser } from "./common.js";
import { DICT } from "./i18n.js";
import { withCitizen } from "./i18n_citizen.js";
import { startShell } from "./shell.js";

let reference = null;
let shell = null;

function fillServices() {
  const service = $("new-service");
  const keep = service.value;
  service.textContent = "";
  for (const s of reference.services) {
    service.append(el("option", { value: s.code, text: document.documentElement.lang === "en" ? s.name_en || s.name : s.name }));
  }
  if (keep) service.value = keep;
  fillOffices();
}

function fillOffices() {
  const s = reference.services.find((x) => x.code === $("new-service").value);
  const office = $("new-office");
  const keep = office.value;
  office.textContent = "";
  for (const o of reference.offices.filter((x) => !s || x.level === s.office_level)) {
    office.append(el("option", { value: String(o.id), text: o.name }));
  }
  if (keep && office.querySelector(`option[value="${keep}"]`)) office.value = keep;
}

async function main() {
  initI18n(withCitizen(DICT), () => {
    if (reference) fillServices();
    if (shell) shell.rerender();
  });
  const me = await requireUser();
  shell = startShell(me);
  reference = await api("GET", "/api/reference");
  fillServices();
  $("new-service").addEventListener("change", fillOffices);
  const form = $("form-new");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    $("new-error").textContent = "";
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const { ticket } = await api("POST", "/api/tickets", { service_code: $("new-service").value, office_id: Number($("new-office").value) });
      location.assign(`/t/${ticket.id}?baru=1`);
    } catch (err) {
      $("new-error").textContent = errorText(err);
      button.disabled = false;
    }
  });
}

main().catch((err) => {
  console.error(err);
  const error = document.getElementById("new-error");
  if (error) error.textContent = errorText(err);
});
