// The citizen ticket page's documents card: the access code and the receipt (resi) link,
// the checklist with each document's check, and — while the office asks for documents
// (status documents_incomplete) — one upload per missing document.
import { $, api, el, errorText, getLang, t, tf } from "./common.js";
import { localName } from "./i18n_intake.js";
import { acceptOf } from "./intake_fields.js";

export class CitizenDocuments {
  constructor(ticketId, onChanged) {
    this.ticketId = ticketId;
    this.onChanged = onChanged;
    this.data = null;
    this.status = null;
    /** The last refused upload's words per document, kept across redraws (live events redraw). */
    this.errors = new Map();
  }

  async load(status) {
    if (status) this.status = status;
    this.data = await api("GET", `/api/tickets/${this.ticketId}/request`);
    this.render();
  }

  render() {
    const d = this.data;
    if (!d) return;
    $("docs-card").hidden = false;
    const code = $("my-access-code");
    code.textContent = d.access_code || "—";
    $("receipt-link").href = `/tickets/${this.ticketId}/receipt`;
    const asking = this.status === "documents_incomplete";
    $("docs-banner").hidden = !asking;
    const list = $("my-docs");
    list.textContent = "";
    for (const doc of d.documents) list.append(this.item(doc, asking));
  }

  item(doc, asking) {
    const name = localName(doc, getLang());
    const stateText = doc.state === "pending" && !doc.file ? t("doc_no_file") : t(`doc_state_${doc.state}`);
    const li = el("li", { attrs: { "data-code": doc.code, "data-state": doc.state } },
      el("span", { class: "doc-name", text: name }),
      el("span", { class: `doc-state s-${doc.state}`, text: stateText }),
      doc.checked_by ? el("span", { class: "doc-meta", text: tf("checked_by", { name: doc.checked_by.name }) }) : null,
      doc.reason && doc.state === "missing" ? el("p", { class: "doc-reason", text: `${t("reason")}: ${doc.reason}` }) : null,
      doc.file ? el("a", { class: "doc-file", href: doc.file.url, text: doc.file.name, attrs: { target: "_blank", rel: "noopener" } }) : null);
    if (asking && doc.state === "missing") {
      const id = `re-${doc.code}`;
      const error = el("p", { class: "error", text: this.errors.get(doc.code) || "", attrs: { role: "alert" } });
      const input = el("input", {
        type: "file", id, accept: acceptOf(doc.accepts), attrs: { capture: "environment" },
        on: { change: () => this.upload(doc, input, error) },
      });
      li.append(el("label", { class: "doc-upload", attrs: { for: id }, text: tf("reupload", { name }) }), input, error);
    }
    return li;
  }

  async upload(doc, input, error) {
    const file = input.files && input.files[0];
    error.textContent = "";
    this.errors.delete(doc.code);
    if (!file) return;
    try {
      const { ticket } = await api("POST",
        `/api/tickets/${this.ticketId}/documents/${doc.code}/file?name=${encodeURIComponent(file.name)}`, file);
      await this.load(ticket.status);
      if (this.onChanged) this.onChanged(ticket);
    } catch (err) {
      const text = errorText(err);
      this.errors.set(doc.code, text);
      const shown = document.querySelector(`#my-docs li[data-code="${doc.code}"] .error`);
      if (shown) shown.textContent = text;
      else error.textContent = text;
    }
  }
}
