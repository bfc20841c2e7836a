// Transfer from the wall: a waiting ticket moves to another office (POST
// /api/tickets/{id}/transfer). The dialog offers only what the documented rules allow
// (docs/protocol.md, "Transfer"): offices of the wall's subtree — the supervisor's own,
// so both ends are supervised — of the level that issues the ticket's service, other
// than its own. The change comes back as the usual queue delta.
import { $, api, el, errorText, t, tf } from "./common.js";
import { statusLabel } from "./timeline.js";

export class Transfer {
  /** `reload()`: fetch a fresh board (after a conflict). */
  constructor({ board, officeName, reload }) {
    this.board = board;
    this.officeName = officeName;
    this.reload = reload;
    this.levels = new Map(); // service code -> office level that issues it
    this.target = null;
    const dialog = $("transfer");
    $("transfer-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
    $("transfer-cancel").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      const id = this.target && this.target.id;
      this.target = null;
      const button = id != null && document.querySelector(`#waiting-list button[data-transfer-id="${Number(id)}"]`);
      if (button) button.focus();
      else $("h-waiting").focus();
    });
  }

  async loadServices() {
    try {
      const { services } = await api("GET", "/api/reference");
      this.levels = new Map(services.map((s) => [s.code, s.office_level]));
    } catch (_) {
      this.levels = new Map(); // the dialog then says no office can take it
    }
  }

  button(tk) {
    return el("button", {
      type: "button",
      class: "small ghost",
      text: t("transfer"),
      attrs: { "data-transfer-id": String(tk.id), "aria-label": tf("transfer_label", { queue: tk.queue, number: tk.number }) },
      on: { click: () => this.open(tk.id) },
    });
  }

  /** The offices the ticket may go to: same issuing level, in the subtree, not its own. */
  targets(tk) {
    const level = this.levels.get(tk.service);
    return this.board.offices
      .filter((o) => o.level === level && o.id !== tk.office_id)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  describe() {
    const tk = this.target;
    if (!tk) return;
    const level = this.levels.get(tk.service);
    $("transfer-ticket").textContent = `${tk.queue} · ${tk.number} · ${this.officeName(tk.office_id)} · ${statusLabel(tk.status)}`;
    $("transfer-rule").textContent = tf("transfer_rule", { level: level ? t(`level_${level}`) : "—" });
    const select = $("transfer-to");
    const keep = select.value;
    select.textContent = "";
    const offices = this.targets(tk);
    select.append(...offices.map((o) => el("option", { value: String(o.id), text: o.name })));
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
    $("transfer-none").hidden = offices.length > 0;
    $("transfer-send").disabled = offices.length === 0;
  }

  open(id) {
    const tk = this.board.tickets.get(id);
    if (!tk) return;
    this.target = { ...tk };
    $("transfer-error").textContent = "";
    $("transfer-note").value = "";
    $("transfer-to").value = "";
    this.describe();
    $("transfer").showModal();
    $("transfer-to").focus();
  }

  async send() {
    const tk = this.target;
    const note = $("transfer-note").value.trim();
    const to = Number($("transfer-to").value);
    if (!tk || !note || !to) return;
    const button = $("transfer-send");
    button.disabled = true;
    $("transfer-error").textContent = "";
    try {
      await api("POST", `/api/tickets/${tk.id}/transfer`, { version: tk.version, to_office_id: to, note });
      $("reassign-done").textContent = tf("transferred", { queue: tk.queue, office: this.officeName(to) });
      $("transfer").close();
    } catch (err) {
      $("transfer-error").textContent = err.code === "conflict" ? t("err_transfer_conflict") : errorText(err);
      if (err.code === "conflict") {
        await this.reload();
        const fresh = this.board.tickets.get(tk.id);
        if (fresh) {
          this.target = { ...fresh };
          this.describe();
        }
      }
    } finally {
      button.disabled = $("transfer-to").options.length === 0;
    }
  }
}
