// The console's letter: its panel on an approved or completed ticket (number, PDF, public
// check, revoke for the approver, hand-over for the front office with the access code or
// the receipt's scanned QR) and the scan bar that finds a ticket from its receipt.
import { $, api, el, errorText, shortTime, t, tf } from "./common.js";

const WITH_LETTER = new Set(["approved", "completed"]);

export class LetterPanel {
  /** `onTicket(ticket)`: the ticket changed here (handed over) — the console re-renders it. */
  constructor({ me, onTicket }) {
    this.me = me;
    this.onTicket = onTicket;
    this.ticket = null;
    this.info = null;
    this.key = null;
    this.scanned = null; // {id, text}: the receipt QR scanned for that ticket
    $("pickup-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.handOver();
    });
    $("revoke-open").addEventListener("click", () => {
      $("revoke-form").hidden = false;
      $("revoke-text").focus();
    });
    $("revoke-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.revoke();
    });
  }

  /** Show the letter of `ticket` (fetched again when the ticket moved on). */
  async show(ticket) {
    this.ticket = ticket;
    const panel = $("letter-panel");
    if (!ticket || !WITH_LETTER.has(ticket.status)) {
      panel.hidden = true;
      this.key = null;
      return;
    }
    const key = `${ticket.id}:${ticket.version}:${ticket.last_seq}`;
    if (key !== this.key) {
      this.key = key;
      try {
        this.info = await api("GET", `/api/tickets/${ticket.id}/letter`);
      } catch (err) {
        this.info = null;
        $("letter-error").textContent = errorText(err);
      }
    }
    this.render();
  }

  render() {
    const panel = $("letter-panel");
    if (!this.info || !this.ticket) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    const { letter, pickup } = this.info;
    const dl = $("letter-info");
    dl.textContent = "";
    const row = (label, value) => dl.append(el("div", {}, el("dt", { text: label }), el("dd", { text: value || "—" })));
    row(t("letter_number"), letter.number);
    row(t("letter_issued"), shortTime(letter.issued_at));
    row(t("letter_valid_until"), letter.valid_until);
    row(t("letter_status"), letter.status === "revoked" ? `${t("letter_revoked")} — ${letter.revoke_reason || ""}` : t("letter_valid"));
    row(t("letter_signer"), letter.signer.nip ? `${letter.signer.name} (NIP ${letter.signer.nip})` : letter.signer.name);
    if (letter.handed_over_at) row(t("letter_handed_over"), `${shortTime(letter.handed_over_at)} · ${letter.collector_name || ""}`);
    $("letter-pdf").href = letter.pdf_url;
    $("letter-verify").href = letter.verify_path;
    const receipt = $("letter-receipt");
    receipt.hidden = !letter.pickup_receipt_url;
    if (letter.pickup_receipt_url) receipt.href = letter.pickup_receipt_url;
    const approver = this.me.role === "approver" && letter.status === "valid";
    $("revoke-open").hidden = !approver;
    if (!approver) $("revoke-form").hidden = true;
    const counter = this.me.role === "front_office" && pickup.ready;
    $("pickup-form").hidden = !counter;
    const scanned = this.scanned && this.scanned.id === this.ticket.id ? this.scanned.text : null;
    $("pickup-scanned").hidden = !scanned;
    $("pickup-scanned").textContent = scanned ? tf("pickup_scanned", { text: scanned }) : "";
    $("pickup-idcheck-row").hidden = !scanned;
  }

  /** The console's "complete" action: the hand-over form. */
  focusPickup() {
    if (!$("pickup-form").hidden) $("pickup-code").focus();
  }

  remember(id, text) {
    this.scanned = { id, text };
  }

  async handOver() {
    const tk = this.ticket;
    $("letter-error").textContent = "";
    const code = $("pickup-code").value.trim();
    const body = { version: tk.version };
    if (code) body.access_code = code;
    else if (this.scanned && this.scanned.id === tk.id) {
      body.scanned = this.scanned.text;
      body.id_checked = $("pickup-idcheck").checked;
    } // neither: the hub answers which one is missing
    const collector = $("pickup-collector").value.trim();
    if (collector) body.collector_name = collector;
    try {
      const answer = await api("POST", `/api/tickets/${tk.id}/pickup`, body);
      $("pickup-code").value = "";
      $("pickup-collector").value = "";
      $("pickup-idcheck").checked = false;
      this.scanned = null;
      $("letter-status").textContent = tf("pickup_done", { who: answer.letter.collector_name });
      this.key = null;
      this.onTicket(answer.ticket);
      $("letter-receipt").focus();
    } catch (err) {
      $("letter-error").textContent = errorText(err);
      if (err.code === "conflict") this.onTicket(null);
    }
  }

  async revoke() {
    const reason = $("revoke-text").value.trim();
    if (!reason || !this.ticket) return;
    $("letter-error").textContent = "";
    try {
      await api("POST", `/api/tickets/${this.ticket.id}/letter/revoke`, { reason });
      $("revoke-text").value = "";
      $("revoke-form").hidden = true;
      this.key = null;
      await this.show(this.ticket);
    } catch (err) {
      $("letter-error").textContent = errorText(err);
    }
  }
}

/** The scan bar: a receipt's QR (its ticket page URL, from a scanner that types it, or the
 *  camera where the browser has BarcodeDetector) or a ticket number opens that ticket. */
export function wireScan(panel) {
  const find = async (text) => {
    $("scan-error").textContent = "";
    try {
      const { ticket_id: id } = await api("GET", `/api/pickup/lookup?${new URLSearchParams({ q: text })}`);
      if (/\/(t|ticket|tickets)\/\d+/.test(text)) panel.remember(id, text);
      $("scan-input").value = "";
      location.hash = `t=${id}`;
    } catch (err) {
      $("scan-error").textContent = errorText(err);
    }
  };
  $("scan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("scan-input").value.trim();
    if (text) find(text);
  });
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const button = $("scan-camera");
  const video = $("scan-video");
  let stream = null;
  const stop = () => {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    button.textContent = t("scan_camera");
  };
  button.hidden = false;
  button.addEventListener("click", async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (err) {
      $("scan-error").textContent = errorText(err);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    button.textContent = t("scan_stop");
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    const tick = async () => {
      if (!stream) return;
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          stop();
          find(codes[0].rawValue);
          return;
        }
      } catch (_) {
        /* a frame not ready yet */
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
