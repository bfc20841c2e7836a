// The citizen's letter card: "Siap diambil" with the place and the office hours, or the
// download where the office delivers electronically; a copy once it is theirs.
import { $, api, el, errorText, t, tf } from "./common.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export class LetterCard {
  constructor() {
    this.ticket = null;
    this.info = null;
    this.key = null;
    $("letter-receive").addEventListener("click", () => this.receive());
  }

  async show(ticket) {
    this.ticket = ticket;
    if (!ticket || !["approved", "completed"].includes(ticket.status)) {
      $("letter-card").hidden = true;
      return;
    }
    const key = `${ticket.id}:${ticket.version}:${ticket.last_seq}`;
    if (key !== this.key) {
      this.key = key;
      try {
        this.info = await api("GET", `/api/tickets/${ticket.id}/letter`);
      } catch (err) {
        this.info = null;
        $("letter-card").hidden = true;
        return;
      }
    }
    this.render();
  }

  render() {
    if (!this.info) return;
    const { letter, pickup } = this.info;
    $("letter-card").hidden = false;
    const done = Boolean(letter.handed_over_at);
    const revoked = letter.status === "revoked";
    $("h-letter").textContent = t(done ? "letter_done_title" : pickup.electronic_delivery ? "letter_ready_download" : "letter_ready_title");
    $("letter-number").textContent = `${t("letter_number")}: ${letter.number} · ${t("letter_valid_until")} ${letter.valid_until}`;
    $("letter-revoked").hidden = !revoked;
    $("letter-revoked").textContent = revoked ? tf("revoked_notice", { reason: letter.revoke_reason || "" }) : "";
    const waiting = pickup.ready && !revoked;
    $("pickup-where").hidden = !waiting;
    if (waiting) this.renderPlace(pickup);
    $("letter-receive").hidden = !(waiting && pickup.electronic_delivery);
    $("letter-receive-help").hidden = $("letter-receive").hidden;
    const copy = $("letter-download");
    copy.hidden = !done;
    copy.href = letter.pdf_url;
    const receipt = $("letter-pickup-receipt");
    receipt.hidden = !letter.pickup_receipt_url;
    if (letter.pickup_receipt_url) receipt.href = letter.pickup_receipt_url;
  }

  renderPlace(pickup) {
    $("pickup-office").textContent = pickup.office.name;
    $("pickup-address").textContent = pickup.office.address || "";
    const body = $("pickup-hours");
    body.textContent = "";
    for (const day of DAYS) {
      const span = pickup.hours[day];
      body.append(el("tr", {}, el("th", { scope: "row", text: t(`wd_${day}`) }), el("td", { text: span ? `${span.open}–${span.close}` : t("closed_day") })));
    }
  }

  async receive() {
    $("letter-error").textContent = "";
    try {
      const answer = await api("POST", `/api/tickets/${this.ticket.id}/letter/receive`, {});
      this.key = null;
      location.assign(answer.letter.pdf_url);
      await this.show(answer.ticket);
    } catch (err) {
      $("letter-error").textContent = errorText(err);
    }
  }
}
