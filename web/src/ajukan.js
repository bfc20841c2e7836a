// The citizen's request form (/ajukan), phone first: the letter type and office, one
// upload per required document (the phone's camera), the form fields, then send.
// Everything is kept in a draft on the server (survives a reload or a lost connection);
// field edits are saved after a pause and retried until they are stored.
import { $, api, el, errorText, getLang, initI18n, requireUser, shortTime, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { localName, withIntake } from "./i18n_intake.js";
import { fieldInput, acceptOf, acceptsText } from "./intake_fields.js";

let reference = { services: [], offices: [] };
let draft = null;
let pending = {}; // form values not yet stored
let saveTimer = null;
let saving = null;

const params = new URLSearchParams(location.search);

function serviceOf(code) {
  return reference.services.find((s) => s.code === code) || null;
}

function status(text) {
  $("draft-status").textContent = text;
}

function fillServices() {
  const select = $("f-service");
  const keep = draft ? draft.service.code : select.value;
  select.textContent = "";
  select.append(el("option", { value: "", text: t("choose") }));
  for (const s of reference.services) select.append(el("option", { value: s.code, text: localName(s, getLang()) }));
  select.value = keep || "";
}

function fillOffices() {
  const select = $("f-office");
  const service = serviceOf($("f-service").value);
  select.textContent = "";
  select.append(el("option", { value: "", text: t("choose") }));
  for (const o of reference.offices.filter((x) => service && x.level === service.office_level)) {
    select.append(el("option", { value: String(o.id), text: o.name }));
  }
  select.value = draft && draft.office_id ? String(draft.office_id) : "";
}

function docItem(doc) {
  const lang = getLang();
  const name = localName(doc, lang);
  const id = `doc-${doc.code}`;
  const input = el("input", {
    type: "file", id, accept: acceptOf(doc.accepts),
    attrs: { capture: "environment", "data-code": doc.code },
    on: { change: (e) => upload(doc, e.target) },
  });
  const state = doc.file ? tf("file_saved", { name: doc.file.name }) : t("no_file");
  return el("li", { attrs: { "data-code": doc.code, "data-has-file": doc.file ? "1" : "0" } },
    el("span", { class: "doc-name", text: name }),
    el("span", { class: "doc-meta", text: `${t(doc.required ? "required_mark" : "optional_mark")} · ${acceptsText(doc.accepts)}` }),
    el("span", { class: "doc-file", text: state }),
    el("label", { class: "doc-upload", attrs: { for: id } }, tf("upload_doc", { name })),
    input,
    el("p", { class: "error", attrs: { role: "alert" } }));
}

function render() {
  fillServices();
  fillOffices();
  const has = Boolean(draft);
  for (const id of ["s-docs", "s-fields", "s-send"]) $(id).hidden = !has;
  if (!has) return;
  const list = $("f-docs");
  list.textContent = "";
  for (const doc of draft.documents) list.append(docItem(doc));
  const form = $("f-fields");
  const focused = document.activeElement && document.activeElement.id;
  form.textContent = "";
  const service = serviceOf(draft.service.code);
  for (const field of (service && service.fields) || []) {
    const value = field.code in pending ? pending[field.code] : draft.form[field.code] || "";
    form.append(...fieldInput(field, value, getLang(), (v) => edit(field.code, v)));
  }
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  renderMissing();
}

function renderMissing() {
  const missing = [];
  if (!draft.office_id) missing.push(t("office"));
  for (const code of draft.missing.documents) {
    const d = draft.documents.find((x) => x.code === code);
    missing.push(localName(d, getLang()));
  }
  const service = serviceOf(draft.service.code);
  for (const code of draft.missing.fields) {
    if (pending[code]) continue;
    const f = ((service && service.fields) || []).find((x) => x.code === code);
    missing.push(f ? localName(f, getLang()) : code);
  }
  $("f-missing").textContent = missing.length ? tf("still_missing", { list: missing.join(", ") }) : t("ready_to_send");
}

async function withDraft(promise) {
  const { draft: fresh } = await promise;
  draft = fresh;
  const url = new URL(location.href);
  url.searchParams.set("draft", String(draft.id));
  url.searchParams.delete("service");
  url.searchParams.delete("office");
  history.replaceState(null, "", url);
  status(tf("draft_saved", { time: shortTime(draft.updated_at) }));
  render();
}

async function chooseService() {
  const code = $("f-service").value;
  $("f-error").textContent = "";
  if (!code) return;
  try {
    if (draft) await withDraft(api("PATCH", `/api/drafts/${draft.id}`, { service_code: code }));
    else await withDraft(api("POST", "/api/drafts", { service_code: code }));
  } catch (err) {
    $("f-error").textContent = errorText(err);
  }
}

async function chooseOffice() {
  const office = Number($("f-office").value);
  if (!draft || !office) return;
  try {
    await withDraft(api("PATCH", `/api/drafts/${draft.id}`, { office_id: office }));
  } catch (err) {
    $("f-error").textContent = errorText(err);
  }
}

async function upload(doc, input) {
  const file = input.files && input.files[0];
  const item = input.closest("li");
  const error = item.querySelector(".error");
  error.textContent = "";
  if (!file) return;
  item.querySelector(".doc-file").textContent = t("uploading");
  try {
    await api("POST", `/api/drafts/${draft.id}/files/${doc.code}?name=${encodeURIComponent(file.name)}`, file);
    await withDraft(api("GET", `/api/drafts/${draft.id}`));
  } catch (err) {
    const fresh = $("f-docs").querySelector(`li[data-code="${doc.code}"]`) || item;
    fresh.querySelector(".doc-file").textContent = doc.file ? tf("file_saved", { name: doc.file.name }) : t("no_file");
    fresh.querySelector(".error").textContent = errorText(err);
  }
}

function edit(code, value) {
  pending[code] = value;
  status(t("draft_saving"));
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => save().catch(() => {}), 700);
}

/** Store the pending values; on a network failure keep them and try again. */
async function save() {
  if (saving) return saving;
  const values = pending;
  if (!draft || !Object.keys(values).length) return null;
  pending = {};
  saving = (async () => {
    try {
      const { draft: fresh } = await api("PATCH", `/api/drafts/${draft.id}`, { form: values });
      draft = fresh;
      $("offline-banner").hidden = true;
      status(tf("draft_saved", { time: shortTime(draft.updated_at) }));
      renderMissing();
    } catch (err) {
      pending = { ...values, ...pending };
      if (err.code === "offline" || err.status >= 500) {
        $("offline-banner").hidden = false;
        clearTimeout(saveTimer);
        saveTimer = setTimeout(() => save().catch(() => {}), 3000);
      } else {
        $("f-error").textContent = errorText(err);
      }
      throw err;
    } finally {
      saving = null;
    }
  })();
  return saving;
}

/** Every typed value stored (a save in flight, then what was typed meanwhile). */
async function flush() {
  while (saving || Object.keys(pending).length) {
    if (saving) {
      await saving.catch(() => {});
      continue;
    }
    await save();
  }
}

async function submit() {
  $("f-error").textContent = "";
  const button = $("f-submit");
  button.disabled = true;
  try {
    clearTimeout(saveTimer);
    await flush();
    const { ticket } = await api("POST", "/api/tickets", { draft_id: draft.id });
    location.assign(`/t/${ticket.id}`);
  } catch (err) {
    $("f-error").textContent = errorText(err);
    button.disabled = false;
  }
}

async function start() {
  const { drafts } = await api("GET", "/api/drafts");
  const wanted = Number(params.get("draft")) || null;
  const service = params.get("service");
  draft = drafts.find((d) => d.id === wanted) || null;
  if (!draft && service) {
    draft = drafts.find((d) => d.service.code === service) || null;
    if (!draft) {
      const office = Number(params.get("office")) || null;
      await withDraft(api("POST", "/api/drafts", { service_code: service, office_id: office }));
      return;
    }
  }
  if (!draft && !service && drafts.length) draft = drafts[0];
  if (draft) await withDraft(Promise.resolve({ draft }));
  else render();
}

async function main() {
  initI18n(withIntake(DICT), render);
  const me = await requireUser();
  if (me.role !== "citizen" || me.ticket_id) {
    location.assign("/");
    return;
  }
  wireLogout(me);
  reference = await api("GET", "/api/reference");
  $("f-service").addEventListener("change", chooseService);
  $("f-office").addEventListener("change", chooseOffice);
  $("f-type").addEventListener("submit", (e) => e.preventDefault());
  $("f-fields").addEventListener("submit", (e) => e.preventDefault());
  $("f-submit").addEventListener("click", submit);
  window.addEventListener("online", () => save().catch(() => {}));
  await start();
  window.hub = { page: "ajukan", get draft() { return draft; }, save };
}

main().catch((err) => {
  console.error(err);
  status(errorText(err));
});
