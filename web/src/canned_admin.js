// The supervisor's canned replies (supervisor page, `_canned_admin.html`): per office of
// their scope, add, edit and delete the replies officers insert from the composer
// (docs/protocol.md §12). An edit names the version it saw; a stale one is reloaded.
//
// All user text goes through textContent (el(..., {text})).
import { $, api, el, errorText, t, tf } from "./common.js";

export class CannedAdmin {
  constructor() {
    this.offices = []; // [{id, name, manage}]
    this.replies = [];
    this.editing = null; // the reply being edited
    this.armed = null; // the id whose delete button asks "really?"
    $("canned-office").addEventListener("change", () => {
      this.stopEditing();
      this.render();
    });
    $("canned-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.save();
    });
    $("canned-cancel").addEventListener("click", () => this.stopEditing());
  }

  get officeId() {
    return Number($("canned-office").value) || null;
  }

  async load() {
    try {
      const body = await api("GET", "/api/canned-replies");
      this.offices = body.offices.filter((o) => o.manage);
      this.replies = body.replies;
    } catch (err) {
      $("canned-error").textContent = errorText(err);
      return;
    }
    $("canned-admin").hidden = this.offices.length === 0;
    const select = $("canned-office");
    const keep = select.value;
    select.textContent = "";
    select.append(...this.offices.map((o) => el("option", { value: String(o.id), text: o.name })));
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
    this.render();
  }

  render() {
    const list = $("canned-items");
    list.textContent = "";
    const mine = this.replies.filter((r) => r.office_id === this.officeId);
    $("canned-empty").hidden = mine.length > 0;
    for (const r of mine) {
      const armed = this.armed === r.id;
      list.append(el("li", { class: "canned-row", attrs: { "data-reply-id": String(r.id) } },
        el("strong", { text: r.title }),
        el("p", { class: "canned-text", text: r.body }),
        el("div", { class: "row" },
          el("button", {
            type: "button", class: "small ghost", text: t("canned_edit"),
            attrs: { "aria-label": tf("canned_edit_label", { title: r.title }) },
            on: { click: () => this.edit(r) },
          }),
          el("button", {
            type: "button", class: `small ${armed ? "danger" : "ghost"}`,
            text: t(armed ? "canned_confirm_delete" : "canned_delete"),
            attrs: { "aria-label": armed ? t("canned_confirm_delete") : tf("canned_delete_label", { title: r.title }), "data-action": "delete" },
            on: { click: () => this.remove(r) },
          }))));
    }
    $("canned-form-title").textContent = t(this.editing ? "canned_edit_title" : "canned_add_title");
    $("canned-cancel").hidden = !this.editing;
  }

  edit(r) {
    this.editing = r;
    this.armed = null;
    $("canned-title").value = r.title;
    $("canned-body").value = r.body;
    this.render();
    $("canned-title").focus();
  }

  stopEditing() {
    this.editing = null;
    $("canned-title").value = "";
    $("canned-body").value = "";
    $("canned-error").textContent = "";
    this.render();
  }

  async save() {
    const title = $("canned-title").value.trim();
    const body = $("canned-body").value.trim();
    $("canned-error").textContent = "";
    if (!title || !body || this.officeId == null) return;
    try {
      const { reply } = this.editing
        ? await api("PATCH", `/api/canned-replies/${this.editing.id}`, { version: this.editing.version, title, body })
        : await api("POST", "/api/canned-replies", { office_id: this.officeId, title, body });
      $("canned-done").textContent = tf("canned_saved", { title: reply.title });
      this.editing = null;
      $("canned-title").value = "";
      $("canned-body").value = "";
      await this.load();
    } catch (err) {
      $("canned-error").textContent = errorText(err);
      if (err.code === "conflict" || err.code === "not_found") await this.load();
    }
  }

  async remove(r) {
    if (this.armed !== r.id) {
      this.armed = r.id;
      this.render();
      const again = document.querySelector(`#canned-items li[data-reply-id="${r.id}"] button[data-action=delete]`);
      if (again) again.focus();
      return;
    }
    this.armed = null;
    try {
      await api("DELETE", `/api/canned-replies/${r.id}`, { version: r.version });
      $("canned-done").textContent = tf("canned_deleted", { title: r.title });
      if (this.editing && this.editing.id === r.id) this.stopEditing();
    } catch (err) {
      $("canned-error").textContent = errorText(err);
    }
    await this.load();
  }
}
