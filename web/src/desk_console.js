// Forwarding with no dead ends, in the officer console (docs/protocol.md §12): the picker
// offers only who can act on the ticket now (GET …/forward-targets, grouped by desk: the
// desk itself or a named colleague), and the ticket shows who holds it.
//
// All user text goes through textContent (el(..., {text})).
import { $, api, el, errorText, t, tf } from "./common.js";

/** The label of a desk (a handling role): "Kasi Pelayanan", "Lurah / Camat"… */
export function deskLabel(role) {
  return role ? t(`desk_${role}`) : "—";
}

/**
 * Who holds a ticket, in words: the colleague and the desk for officers (the view has
 * `holder.officer`), the desk alone for the applicant.
 */
export function holderText(ticket) {
  const h = ticket && ticket.holder;
  if (!h || !h.desk) return "—";
  if (h.officer) return tf("held_by", { name: h.officer.name, desk: deskLabel(h.desk) });
  return deskLabel(h.desk);
}

/** A forward error in words: why the target cannot take the ticket, when the hub says. */
export function forwardError(err) {
  const reason = err && err.details && err.details.reason;
  if (err && err.code === "invalid" && reason) {
    const text = t(`err_forward_${reason}`);
    if (text !== `err_forward_${reason}`) return text;
  }
  return errorText(err);
}

/**
 * Fill `select` with the targets the hub listed (`body` of …/forward-targets): one
 * group per desk, the desk first, then its officers (`extra(officer)`: more words about
 * one, e.g. online). Returns how many there are.
 */
export function fillTargets(select, body, me, extra = () => null) {
  const keep = select.value;
  select.textContent = "";
  let count = 0;
  for (const desk of body.desks || []) {
    const options = [el("option", { value: `r:${desk.role}`, text: tf("forward_any", { desk: deskLabel(desk.role) }) })];
    for (const o of desk.officers) {
      const marks = [
        o.me || (me && o.id === me.user_id) ? t("forward_me") : null,
        o.holder ? t("forward_holder") : null,
        extra(o),
      ].filter(Boolean);
      options.push(el("option", { value: `u:${o.id}`, text: marks.length ? `${o.name} (${marks.join(", ")})` : o.name }));
    }
    count += options.length;
    select.append(el("optgroup", { label: deskLabel(desk.role) }, options));
  }
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  return count;
}

/** The target a picker's value names, as the dispose/reassign body wants it. */
export function targetOf(value) {
  if (value.startsWith("u:")) return { to_user_id: Number(value.slice(2)) };
  if (value.startsWith("r:")) return { to_role: value.slice(2) };
  return null;
}

/** The console's "Teruskan" panel (`_forward.html`). */
export class ForwardPanel {
  /** `me`: the officer; `onTicket(view)`: the ticket as it is after a forward. */
  constructor({ me, onTicket, onConflict }) {
    this.me = me;
    this.onTicket = onTicket;
    this.onConflict = onConflict || (() => {});
    this.ticket = null;
    this.loadedFor = null; // "id:version" of the targets shown
    $("forward").addEventListener("toggle", () => {
      if ($("forward").open) this.load().catch(() => {});
    });
    $("forward-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
  }

  /** The open ticket changed (another one, or a new version): targets reload when open. */
  show(ticket) {
    this.ticket = ticket;
    if ($("forward").open) this.load().catch(() => {});
  }

  async load() {
    const tk = this.ticket;
    if (!tk) return;
    const key = `${tk.id}:${tk.version}`;
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    const select = $("forward-to");
    try {
      const body = await api("GET", `/api/tickets/${tk.id}/forward-targets`);
      if (!this.ticket || this.ticket.id !== tk.id) return;
      const count = fillTargets(select, body, this.me);
      $("forward-empty").hidden = count > 0;
      select.disabled = count === 0;
      $("forward-send").disabled = count === 0;
    } catch (err) {
      this.loadedFor = null;
      $("forward-error").textContent = errorText(err);
    }
  }

  async send() {
    const tk = this.ticket;
    const note = $("forward-note").value.trim();
    const target = targetOf($("forward-to").value);
    $("forward-error").textContent = "";
    if (!tk || !note || !target) return;
    try {
      const { ticket } = await api("POST", `/api/tickets/${tk.id}/dispose`, { version: tk.version, note, ...target });
      $("forward-note").value = "";
      $("forward").open = false;
      $("forward-done").textContent = tf("forwarded_to", { to: holderText(ticket) });
      this.onTicket(ticket);
    } catch (err) {
      $("forward-error").textContent = forwardError(err);
      this.loadedFor = null; // who can act may have changed: list again
      if (err.code === "conflict") await this.onConflict();
      else await this.load();
    }
  }
}
