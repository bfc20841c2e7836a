// The new-request form (/requests/new): a letter and the office that issues it; the
// request itself is then made on /ajukan (documents, form, draft). Once sent, the
// ticket page opens and offers notifications (`?baru=1`): the moment to ask, never on
// page load.
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
  form.addEventListener("submit", (e) => {
    // The request itself is made on /ajukan: documents, form, a draft kept on the server.
    e.preventDefault();
    const q = new URLSearchParams({ service: $("new-service").value, office: $("new-office").value });
    location.assign(`/ajukan?${q}`);
  });
}

main().catch((err) => {
  console.error(err);
  const error = document.getElementById("new-error");
  if (error) error.textContent = errorText(err);
});
