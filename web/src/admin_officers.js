// Officers: list with filters, create (temporary password shown once), edit role/office/
// name, deactivate (every session and socket ends at once), reactivate, reset password.
import { $, api, el, t, tf } from "./common.js";
import { ctx, rowButton } from "./admin_ctx.js";
import { messageOf } from "./accounts_common.js";

const ROLES = ["front_office", "staff", "approver", "supervisor", "admin"];
let rows = [];
let editing = null;

function roleOptions(select, { all = false } = {}) {
  const keep = select.value;
  select.textContent = "";
  if (all) select.append(el("option", { value: "", text: t("all_roles") }));
  for (const role of ROLES) select.append(el("option", { value: role, text: t(`role_${role}`) }));
  if (keep) select.value = keep;
}

function query() {
  const params = new URLSearchParams();
  if ($("filter-office").value) params.set("office_id", $("filter-office").value);
  if ($("filter-role").value) params.set("role", $("filter-role").value);
  if ($("filter-q").value.trim()) params.set("q", $("filter-q").value.trim());
  return params.toString();
}

async function load() {
  ({ officers: rows } = await api("GET", `/api/admin/officers?${query()}`));
  render();
}

async function act(path, body, message) {
  try {
    const answer = await api("POST", path, body);
    ctx.status(message(answer));
    await load();
  } catch (err) {
    ctx.fail(err);
  }
}

function render() {
  const body = $("officers-body");
  body.textContent = "";
  if (!rows.length) body.append(el("tr", {}, el("td", { colSpan: 6, text: t("no_officers") })));
  for (const o of rows) {
    const base = `/api/admin/officers/${o.id}`;
    const actions = el("div", { class: "row" },
      rowButton("edit", () => openEditor(o)),
      o.is_active
        ? rowButton("deactivate", () => {
            if (!window.confirm(tf("confirm_deactivate", { user: o.username }))) return;
            act(`${base}/deactivate`, undefined, () => tf("officer_deactivated", { user: o.username }));
          }, "danger")
        : rowButton("reactivate", () => act(`${base}/reactivate`, undefined, () => tf("officer_reactivated", { user: o.username }))),
      rowButton("reset_password", () => {
        if (!window.confirm(tf("confirm_reset", { user: o.username }))) return;
        act(`${base}/password`, {}, (a) => tf("temporary_password", { user: o.username, password: a.temporary_password }));
      }));
    body.append(el("tr", { class: o.is_active ? "" : "inactive", attrs: { "data-username": o.username } },
      el("td", { text: o.username }),
      el("td", { text: o.full_name }),
      el("td", { text: t(`role_${o.role}`) }),
      el("td", { text: ctx.officeName(o.office_id) }),
      el("td", { text: t(o.is_active ? "active" : "inactive") }),
      el("td", {}, actions)));
  }
}

function openEditor(o) {
  editing = o;
  $("edit-fullname").value = o.full_name;
  roleOptions($("edit-role"));
  $("edit-role").value = o.role;
  ctx.officeOptions($("edit-office"));
  $("edit-office").value = String(o.office_id);
  $("edit-nip").value = o.nip || "";
  $("edit-officer-error").textContent = "";
  $("dlg-officer").showModal();
}

async function saveEditor(e) {
  e.preventDefault();
  const patch = {};
  if ($("edit-fullname").value.trim() !== editing.full_name) patch.full_name = $("edit-fullname").value.trim();
  if ($("edit-role").value !== editing.role) patch.role = $("edit-role").value;
  if (Number($("edit-office").value) !== editing.office_id) patch.office_id = Number($("edit-office").value);
  if ($("edit-nip").value.trim() !== (editing.nip || "")) patch.nip = $("edit-nip").value.trim();
  try {
    await api("PATCH", `/api/admin/officers/${editing.id}`, patch);
    $("dlg-officer").close();
    ctx.status(tf("officer_saved", { user: editing.username }));
    await load();
  } catch (err) {
    $("edit-officer-error").textContent = messageOf(err);
  }
}

async function create(e) {
  e.preventDefault();
  const body = {
    username: $("new-username").value.trim(),
    full_name: $("new-fullname").value.trim(),
    role: $("new-role").value,
    office_id: Number($("new-office").value),
  };
  if ($("new-password").value) body.password = $("new-password").value;
  if ($("new-nip").value.trim()) body.nip = $("new-nip").value.trim();
  try {
    const answer = await api("POST", "/api/admin/officers", body);
    $("form-officer").reset();
    const user = answer.officer.username;
    ctx.status(answer.temporary_password ? tf("temporary_password", { user, password: answer.temporary_password }) : tf("officer_saved", { user }));
    await load();
  } catch (err) {
    ctx.fail(err);
  }
}

export function init() {
  roleOptions($("new-role"));
  roleOptions($("filter-role"), { all: true });
  ctx.officeOptions($("new-office"));
  ctx.officeOptions($("filter-office"), { all: true });
  $("form-officer").addEventListener("submit", create);
  $("form-edit-officer").addEventListener("submit", saveEditor);
  $("officer-filters").addEventListener("submit", (e) => e.preventDefault());
  for (const id of ["filter-office", "filter-role"]) $(id).addEventListener("change", () => load().catch(ctx.fail));
  $("filter-q").addEventListener("input", () => load().catch(ctx.fail));
  ctx.onRerender(() => {
    roleOptions($("new-role"));
    roleOptions($("filter-role"), { all: true });
    ctx.officeOptions($("filter-office"), { all: true });
    render();
  });
}

export async function show() {
  await load();
}
