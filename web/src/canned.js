// The composer's canned-reply picker (officer console): a button beside "Kirim" opens the
// open ticket's office's replies (GET /api/canned-replies?office_id=…); choosing one puts
// its text into the message at the cursor, to be read over and sent as usual.
//
// All user text goes through textContent (el(..., {text})).
import { $, api, el, errorText, t } from "./common.js";

export class CannedPicker {
  /** `officeId()`: the open ticket's office (null: none open). */
  constructor({ officeId }) {
    this.officeId = officeId;
    this.replies = null;
    this.loadedFor = null;
    this.button = el("button", {
      type: "button",
      id: "canned-toggle",
      class: "ghost",
      attrs: { "aria-expanded": "false", "aria-controls": "canned-list" },
      on: { click: () => this.toggle() },
    });
    this.list = el("ul", { id: "canned-list", class: "canned-list", attrs: { "aria-label": t("canned_list") } });
    this.list.hidden = true;
    this.list.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        this.close();
        this.button.focus();
      }
    });
    const send = $("composer-send");
    send.before(this.button);
    $("composer").querySelector(".composer-row").after(this.list);
    this.render();
  }

  render() {
    this.button.textContent = t("canned");
    this.list.setAttribute("aria-label", t("canned_list"));
    if (!this.list.hidden) this.fill();
  }

  close() {
    this.list.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
  }

  async toggle() {
    if (!this.list.hidden) {
      this.close();
      return;
    }
    const office = this.officeId();
    if (office == null) return;
    this.list.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    if (office !== this.loadedFor) {
      this.list.textContent = "";
      try {
        const body = await api("GET", `/api/canned-replies?office_id=${office}`);
        this.replies = body.replies;
        this.loadedFor = office;
      } catch (err) {
        this.list.append(el("li", { class: "error", text: errorText(err) }));
        return;
      }
    }
    this.fill();
    const first = this.list.querySelector("button");
    if (first) first.focus();
  }

  fill() {
    this.list.textContent = "";
    if (!this.replies || !this.replies.length) {
      this.list.append(el("li", { class: "muted", text: t("canned_none") }));
      return;
    }
    for (const r of this.replies) {
      this.list.append(el("li", {},
        el("button", {
          type: "button",
          class: "canned-item",
          attrs: { "data-reply-id": String(r.id) },
          on: { click: () => this.insert(r.body) },
        }, el("strong", { text: r.title }), el("span", { class: "muted", text: r.body }))));
    }
  }

  /** Put `text` into the message at the cursor (replacing a selection). */
  insert(text) {
    const area = $("composer-text");
    const start = area.selectionStart == null ? area.value.length : area.selectionStart;
    const end = area.selectionEnd == null ? start : area.selectionEnd;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    this.close();
    area.focus();
    const at = start + text.length;
    area.setSelectionRange(at, at);
    area.dispatchEvent(new Event("input")); // the typing indicator, as if typed
  }
}
