// One's own comments on a timeline: the read mark ("Dibaca petugas" on a citizen's,
// "Dibaca" on an officer's, from the other side's read positions) and, within 15
// minutes, "Ubah" (edit in place) and "Hapus" (after a confirmation). The hub
// enforces the same window (docs/protocol.md §5); the result comes back as
// `comment_edited` / `comment_deleted` on both sides.
import { el, errorText, t } from "./common.js";

/** How long one's own comment may be corrected (the hub's EDIT_WINDOW). */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

/** May this comment still be corrected (not deleted, not older than 15 minutes)? */
export function mayCorrect(ev, now = Date.now()) {
  const p = ev.payload || {};
  if (p.deleted || !ev.created_at) return false;
  return now - Date.parse(ev.created_at) < EDIT_WINDOW_MS;
}

/** The read positions of a ticket's readers, and what they say about one's comments. */
export class ReadMarks {
  constructor(me) {
    this.me = me;
    this.byReader = new Map(); // reader key -> {role, seq}
  }

  /** Take a read position; true when it moved. */
  apply(read) {
    const r = read.reader || {};
    const key = r.id != null ? `u:${r.id}` : `r:${r.role}`;
    const held = this.byReader.get(key);
    if (held && held.seq >= read.seq) return false;
    this.byReader.set(key, { role: r.role, seq: read.seq });
    return true;
  }

  /** The furthest read position of the other side (officers for a citizen, the applicant for officers). */
  otherSide() {
    const citizen = this.me.role === "citizen";
    let seq = 0;
    for (const r of this.byReader.values()) {
      if ((r.role === "citizen") !== citizen) seq = Math.max(seq, r.seq);
    }
    return seq;
  }

  /** `{read, text}` for one's own comment `ev`. */
  mark(ev) {
    const read = this.otherSide() >= ev.seq;
    if (!read) return { read, text: t("sent") };
    return { read, text: t(this.me.role === "citizen" ? "read_by_officer" : "read_by_other") };
  }
}

/** The "Ubah" / "Hapus" buttons of `li` (one's own comment `ev`). */
export function commentTools(li, ev, actions) {
  const when = li.querySelector("time");
  const at = when ? when.textContent : "";
  return el("span", { class: "comment-tools" },
    el("button", {
      type: "button", class: "link", text: t("edit"),
      attrs: { "data-tool": "edit", "aria-label": `${t("edit")} (${at})` },
      on: { click: () => editInPlace(li, ev, actions) },
    }),
    el("button", {
      type: "button", class: "link", text: t("delete"),
      attrs: { "data-tool": "delete", "aria-label": `${t("delete")} (${at})` },
      on: { click: () => confirmDelete(li, ev, actions) },
    }));
}

function editInPlace(li, ev, actions) {
  const body = li.querySelector("p.body");
  const tools = li.querySelector(".comment-tools");
  const id = `edit-${ev.seq}`;
  const area = el("textarea", { id, rows: 2, maxLength: 4000, value: (ev.payload && ev.payload.body) || "" });
  const error = el("p", { class: "error", attrs: { role: "alert" } });
  const form = el("form", { class: "edit-form stack" },
    el("label", { attrs: { for: id }, text: t("edit_label") }), area,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "small", text: t("save") }),
      el("button", { type: "button", class: "ghost small", text: t("cancel"), on: { click: () => close() } })),
    error);
  const close = () => {
    form.remove();
    body.hidden = false;
    tools.hidden = false;
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = area.value.trim();
    if (!text) return;
    try {
      await actions.edit(ev.seq, text); // the timeline re-renders this comment
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  body.hidden = true;
  tools.hidden = true;
  body.after(form);
  area.focus();
}

function confirmDelete(li, ev, actions) {
  const tools = li.querySelector(".comment-tools");
  const error = el("p", { class: "error", attrs: { role: "alert" } });
  const box = el("div", { class: "confirm-delete", attrs: { role: "group", "aria-label": t("delete_confirm") } },
    el("span", { text: t("delete_confirm") }), " ",
    el("button", {
      type: "button", class: "danger small", text: t("delete_yes"),
      on: { click: async () => {
        try {
          await actions.remove(ev.seq);
        } catch (err) {
          error.textContent = errorText(err);
        }
      } },
    }), " ",
    el("button", { type: "button", class: "ghost small", text: t("cancel"), on: { click: () => { box.remove(); tools.hidden = false; } } }),
    error);
  tools.hidden = true;
  li.append(box);
  box.querySelector("button").focus();
}
