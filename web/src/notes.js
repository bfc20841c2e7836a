// Internal notes (docs/protocol.md §12): written in the officer console, seen only by the
// office's officers. The hub never sends one to the applicant; here they are drawn apart
// from the conversation (a "Catatan internal" tag, a dashed amber card) and written from
// their own small form under the composer, never from the composer itself.
//
// All user text goes through textContent (el(..., {text})).
import { $, api, el, errorText, newClientId, t } from "./common.js";

/** The timeline item of an internal note (`time`: its <time> node). */
export function renderNote(ev, time) {
  const p = ev.payload || {};
  return el("li", { class: "note", attrs: { "data-seq": String(ev.seq), "data-kind": ev.kind } },
    el("span", { class: "note-tag", text: t("note_tag") }),
    el("span", { class: "author", text: (ev.actor && ev.actor.name) || "" }),
    el("p", { class: "body", text: p.body || "" }),
    el("span", { class: "meta" }, time));
}

/** The console's note form (`#note-form`): posts to the open ticket's notes. */
export class NoteForm {
  /** `current()`: the open ticket's id or null; `conversation()`: its Conversation. */
  constructor({ current, conversation }) {
    this.current = current;
    this.conversation = conversation;
    this.pending = null; // {ticket, client_id, body}: resent with the same id after a failure
    $("note-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
  }

  async send() {
    const ticket = this.current();
    const text = $("note-text");
    const body = text.value.trim();
    const error = $("note-error");
    error.textContent = "";
    if (!ticket || !body) return;
    if (!this.pending || this.pending.ticket !== ticket || this.pending.body !== body) {
      this.pending = { ticket, body, client_id: newClientId() };
    }
    const button = $("note-send");
    button.disabled = true;
    try {
      const { event } = await api("POST", `/api/tickets/${ticket}/notes`, { client_id: this.pending.client_id, body });
      this.pending = null;
      text.value = "";
      const conv = this.conversation();
      if (conv && conv.ticketId === ticket) conv.receive([event]);
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  }
}
