// The console's documents panel for the open ticket: the form as filled in, the NIK
// (masked), and each document with its file and its check. The front office marks each
// one OK, or missing with a reason (while the ticket is in verification); the ticket's
// actions then offer "ask for documents" (request_documents) or "verify".
import { $, api, el, errorText, getLang, t, tf } from "./common.js";
import { localName } from "./i18n_intake.js";

export class DocumentsPanel {
  constructor(me) {
    this.me = me;
    this.ticket = null;
    this.data = null;
  }

  async show(ticket) {
    const switched = !this.ticket || this.ticket.id !== ticket.id;
    this.ticket = ticket;
    if (switched) {
      this.data = null;
      $("docs-panel").hidden = true;
    }
    try {
      this.data = await api("GET", `/api/tickets/${ticket.id}/request`);
    } catch (err) {
      $("docs-error").textContent = errorText(err);
      return;
    }
    if (!this.ticket || this.ticket.id !== ticket.id) return;
    this.render();
  }

  canCheck() {
    return this.me.role === "front_office" && this.ticket && this.ticket.status === "verification";
  }

  render() {
    if (!this.data) return;
    $("docs-panel").hidden = false;
    $("docs-error").textContent = "";
    const lang = getLang();
    const values = $("form-values");
    values.textContent = "";
    if (this.data.applicant_nik) values.append(el("dt", { text: t("nik") }), el("dd", { text: this.data.applicant_nik }));
    for (const f of this.data.form) {
      values.append(el("dt", { text: localName(f, lang) }), el("dd", { text: f.value == null ? "—" : String(f.value) }));
    }
    const list = $("docs-list");
    list.textContent = "";
    for (const doc of this.data.documents) list.append(this.item(doc, lang));
  }

  item(doc, lang) {
    const name = localName(doc, lang);
    const stateText = doc.state === "pending" && !doc.file ? t("doc_no_file") : t(`doc_state_${doc.state}`);
    const li = el("li", { attrs: { "data-code": doc.code, "data-state": doc.state } },
      el("span", { class: "doc-name", text: `${name}${doc.required ? "" : ` (${t("optional_mark")})`}` }),
      el("span", { class: `doc-state s-${doc.state}`, text: stateText }),
      doc.checked_by ? el("span", { class: "doc-meta", text: tf("checked_by", { name: doc.checked_by.name }) }) : null,
      doc.reason ? el("p", { class: "doc-reason", text: `${t("reason")}: ${doc.reason}` }) : null,
      doc.file ? el("a", { class: "doc-file", href: doc.file.url, text: `${t("open_file")}: ${doc.file.name}`, attrs: { target: "_blank", rel: "noopener" } }) : null);
    if (this.canCheck()) li.append(this.actions(doc, name));
    return li;
  }

  actions(doc, name) {
    const box = el("div", { class: "doc-actions" });
    const reasonId = `reason-${doc.code}`;
    const reason = el("input", { id: reasonId, maxLength: 500, required: true });
    const form = el("form", { hidden: true, on: { submit: (e) => {
      e.preventDefault();
      this.mark(doc, "missing", reason.value.trim());
    } } },
    el("label", { attrs: { for: reasonId }, text: tf("missing_reason", { name }) }), reason,
    el("button", { type: "submit", class: "danger", text: t("save_missing") }));
    box.append(
      el("button", { type: "button", class: "ok", text: t("mark_ok"), attrs: { "data-mark": "ok", "aria-label": `${t("mark_ok")}: ${name}` },
        on: { click: () => this.mark(doc, "ok") } }),
      el("button", { type: "button", class: "danger", text: t("mark_missing"), attrs: { "data-mark": "missing", "aria-label": `${t("mark_missing")}: ${name}` },
        on: { click: () => { form.hidden = false; reason.focus(); } } }),
      form);
    return box;
  }

  async mark(doc, state, reason) {
    $("docs-error").textContent = "";
    if (state === "missing" && !reason) return;
    try {
      const body = state === "missing" ? { state, reason } : { state };
      await api("PUT", `/api/tickets/${this.ticket.id}/documents/${doc.code}`, body);
      await this.show(this.ticket);
    } catch (err) {
      $("docs-error").textContent = errorText(err);
    }
  }
}
