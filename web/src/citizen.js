// The citizen's ticket page (/t/{id}), phone first: status, queue position and
// wait, the conversation with an offline outbox, incoming calls, the echo check.
import { $, api, connect, el, errorText, initI18n, requireUser, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withLetters } from "./i18n_letters.js";
import { withDesk } from "./i18n_desk.js";
import { holderText } from "./desk_console.js";
import { LetterCard } from "./letter_citizen.js";
import { Conversation } from "./conversation.js";
import { statusLabel } from "./timeline.js";
import { CallClient } from "./calls.js";
import { RingTone } from "./ring.js";
import { echoCheck } from "./echo.js";

const ticketId = Number(location.pathname.split("/").filter(Boolean)[1]);
let ticket = null;
let position = null;
let conversation = null;
let calls = null;
let letterCard = null;

function renderTicket() {
  if (!ticket) return;
  $("ticket-number").textContent = ticket.number;
  $("ticket-service").textContent = document.documentElement.lang === "en" && ticket.service.name_en ? ticket.service.name_en : ticket.service.name;
  const status = $("ticket-status");
  status.textContent = statusLabel(ticket.status);
  status.dataset.status = ticket.status;
  $("ticket-queue").textContent = ticket.queue;
  $("holder-row").hidden = !(ticket.holder && ticket.holder.desk);
  $("ticket-holder").textContent = holderText(ticket); // the desk, never a colleague's name
  const reason = $("reject-reason");
  reason.hidden = !ticket.reject_reason;
  reason.textContent = ticket.reject_reason ? `${t("reject_reason")}: ${ticket.reject_reason}` : "";
  document.title = `${ticket.number} — ASINAN`;
  renderPosition();
  if (letterCard) letterCard.show(ticket).catch(() => {});
}

function renderPosition() {
  const posRow = $("pos-row");
  const waitRow = $("wait-row");
  if (!position || !position.waiting || position.position == null) {
    posRow.hidden = true;
    waitRow.hidden = true;
    return;
  }
  const ahead = position.ahead != null ? position.ahead : position.position - 1;
  posRow.hidden = false;
  $("queue-position").textContent = tf("position_n", { n: position.position, ahead });
  const minutes = position.estimated_wait_minutes;
  waitRow.hidden = minutes == null;
  if (minutes != null) {
    const span = minutes >= 90 ? tf("hours_n", { n: Math.round(minutes / 60) }) : tf("minutes_n", { n: minutes });
    $("queue-wait").textContent = position.basis === "sla" ? tf("wait_sla", { t: span }) : span;
  }
}

async function loadTicket() {
  const { ticket: fresh } = await api("GET", `/api/tickets/${ticketId}`);
  ticket = fresh;
  renderTicket();
}

let positionMissing = false;
async function loadPosition() {
  if (positionMissing) return;
  try {
    position = await api("GET", `/api/tickets/${ticketId}/queue-position`);
  } catch (err) {
    if (err.status === 404 && err.code !== "not_found") positionMissing = true; // no queues API here
    position = null;
  }
  renderPosition();
}

function setOffline(offline) {
  $("offline-banner").hidden = !offline;
  document.body.classList.toggle("is-offline", offline);
}

function wireIncoming(ring) {
  const box = $("incoming");
  let current = null;
  const close = () => {
    ring.stop();
    box.hidden = true;
    current = null;
  };
  $("incoming-accept").addEventListener("click", () => {
    const call = current;
    close();
    if (call) calls.accept(call);
  });
  $("incoming-decline").addEventListener("click", () => {
    const call = current;
    close();
    if (call) calls.decline(call);
  });
  return {
    ringing(call) {
      if (calls.active) return;
      current = call;
      const caller = call.caller || {};
      $("incoming-who").textContent = [caller.name, caller.office_name].filter(Boolean).join(" · ");
      $("incoming-media").textContent = t(call.media === "video" ? "video_call" : "voice_call");
      box.hidden = false;
      box.dataset.callId = call.call_id;
      ring.start();
      $("incoming-accept").focus();
      if (document.hidden && "Notification" in window && Notification.permission === "granted") {
        new Notification(t("incoming_call"), { body: caller.name || "", tag: `call-${call.call_id}` });
      }
    },
    stopped(msg) {
      if (current && msg.call_id === current.call_id) close();
    },
  };
}

async function main() {
  initI18n(withDesk(withLetters(DICT)), () => {
    renderTicket();
    if (letterCard) letterCard.render();
    if (conversation) conversation.timeline.rerender();
    if (calls) calls.rerender();
  });
  const me = await requireUser();
  wireLogout(me);
  letterCard = new LetterCard();
  try {
    await loadTicket();
  } catch (err) {
    $("ticket-number").textContent = errorText(err);
    return;
  }
  loadPosition();

  const tickets = connect("/tickets");
  const callSocket = connect("/calls");
  const goOffline = () => {
    setOffline(true);
    // Drop the sockets now (a phone that lost its network would otherwise wait
    // for the ping timeout); they come back on "online".
    tickets.disconnect();
    callSocket.disconnect();
  };
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", () => {
    tickets.connect();
    callSocket.connect();
  });
  tickets.on("connect", () => setOffline(false));
  tickets.on("disconnect", () => setOffline(true));
  if (!navigator.onLine) goOffline();

  conversation = new Conversation({
    socket: tickets,
    ticketId,
    me,
    onEvent: (ev) => {
      if (["status_changed", "disposed", "call", "letter_revoked", "letter_handed_over"].includes(ev.kind)) {
        loadTicket().catch(() => {});
        loadPosition();
      }
    },
  });
  tickets.on("connect", () => {
    loadTicket().catch(() => {});
    loadPosition();
  });

  const ring = new RingTone();
  const incoming = wireIncoming(ring);
  calls = new CallClient(callSocket, {
    onRinging: (call) => {
      if (call.ticket && call.ticket.id !== ticketId) return;
      incoming.ringing(call);
    },
    onRingStopped: (msg) => incoming.stopped(msg),
  });
  $("echo-start").addEventListener("click", () => echoCheck(callSocket));
  setInterval(loadPosition, 30000);
  window.hub = { page: "citizen", ticketId, conversation, calls, tickets };
}

main().catch((err) => {
  console.error(err);
  const n = document.getElementById("ticket-number");
  if (n) n.textContent = errorText(err);
});

export { el };
