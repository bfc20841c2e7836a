// The citizen's ticket page (/t/{id}), phone first: status and what happens next,
// queue position and wait, the conversation with an offline outbox (read marks,
// corrections), incoming calls — this ticket's answered here, another's on its own
// page —, the echo check, the bell and the menu (shell.js).
import { $, api, connect, el, errorText, fullTime, initI18n, requireUser, t, tf } from "./common.js";
import { DICT } from "./i18n.js";
import { withLetters } from "./i18n_letters.js";
import { withDesk } from "./i18n_desk.js";
import { holderText } from "./desk_console.js";
import { LetterCard } from "./letter_citizen.js";
import { withCitizen } from "./i18n_citizen.js";
import { Conversation } from "./conversation.js";
import { statusLabel } from "./timeline.js";
import { CallClient } from "./calls.js";
import { answerUrl } from "./incoming.js";
import { echoCheck } from "./echo.js";
import { withIntake } from "./i18n_intake.js";
import { CitizenDocuments } from "./intake_citizen.js";
import { enablePush } from "./push.js";
import { startShell } from "./shell.js";

const ticketId = Number(location.pathname.split("/").filter(Boolean)[1]);
let ticket = null;
let position = null;
let conversation = null;
let calls = null;
let letterCard = null;
let docs = null;
let shell = null;

function renderTicket() {
  if (!ticket) return;
  $("ticket-number").textContent = ticket.number;
  $("ticket-service").textContent = document.documentElement.lang === "en" && ticket.service.name_en ? ticket.service.name_en : ticket.service.name;
  const status = $("ticket-status");
  status.textContent = statusLabel(ticket.status);
  status.dataset.status = ticket.status;
  $("ticket-created").textContent = fullTime(ticket.created_at);
  $("ticket-created").dataset.iso = ticket.created_at;
  $("ticket-queue").textContent = ticket.queue;
  $("ticket-next-text").textContent = t(`next_${ticket.status}`);
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
  if (docs) docs.load(ticket.status).catch(() => {});
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

/** Just submitted (`?baru=1`): the moment to offer notifications, on a click only. */
function offerNotifications() {
  const params = new URLSearchParams(location.search);
  if (!params.has("baru")) return;
  params.delete("baru");
  const query = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported || Notification.permission === "denied") return;
  const card = $("submitted-card");
  card.hidden = false;
  $("submitted-later").addEventListener("click", () => { card.hidden = true; });
  $("submitted-enable").addEventListener("click", async () => {
    const note = $("submitted-note");
    try {
      await enablePush();
      note.textContent = t("push_enabled");
      $("submitted-enable").hidden = true;
      $("submitted-later").hidden = true;
      if (shell && shell.bell) shell.bell.showPermission();
    } catch (err) {
      note.textContent = err.code === "push_denied" ? t("push_denied") : errorText(err);
    }
  });
}

/** Came from "Terima" elsewhere (`#answer=<call>`): answer once the hub says it still rings. */
function answerFromHash() {
  const m = /answer=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  const callId = m[1];
  const note = $("call-note");
  note.hidden = false;
  note.textContent = t("answering");
  const timer = setTimeout(() => { note.textContent = t("answer_gone"); }, 10000);
  return (call) => {
    if (call.call_id !== callId) return false;
    clearTimeout(timer);
    note.hidden = true;
    return true;
  };
}

async function main() {
  initI18n(withDesk(withCitizen(withIntake(withLetters(DICT)))), () => {
    renderTicket();
    if (letterCard) letterCard.render();
    if (docs) docs.render();
    if (conversation) conversation.timeline.rerender();
    if (calls) calls.rerender();
    if (shell) shell.rerender();
  });
  const me = await requireUser();
  if (me.ticket_id) $("back-to-list").closest("p").hidden = true;
  letterCard = new LetterCard();
  try {
    await loadTicket();
  } catch (err) {
    $("ticket-number").textContent = errorText(err);
    return;
  }
  loadPosition();
  docs = new CitizenDocuments(ticketId, () => loadTicket().catch(() => {}));
  docs.load(ticket.status).catch(() => {});
  offerNotifications();

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
      } else if (ev.kind === "document_checked" || ev.kind === "document_uploaded") {
        docs.load().catch(() => {});
      }
    },
  });
  tickets.on("connect", () => {
    loadTicket().catch(() => {});
    loadPosition();
  });

  // the ticket's notifications are read while its page is looked at (every device hears it)
  const readHere = () => {
    if (!document.hidden && shell && shell.bell) shell.bell.markTicketRead(ticketId);
  };
  const answering = answerFromHash();
  calls = new CallClient(callSocket);
  shell = startShell(me, {
    calls: callSocket,
    incoming: {
      // this ticket's call is answered here; another ticket's on its own page
      onAccept: (call) => (call.ticket.id === ticketId ? calls.accept(call) : location.assign(answerUrl(call))),
      busy: () => calls.active,
    },
    onCounts: () => readHere(),
  });
  if (answering) {
    callSocket.on("ringing", (call) => {
      if (!answering(call)) return;
      shell.ring.close();
      calls.accept(call);
    });
  }
  document.addEventListener("visibilitychange", readHere);
  $("echo-start").addEventListener("click", () => echoCheck(callSocket));
  setInterval(loadPosition, 30000);
  window.hub = { page: "citizen", ticketId, conversation, calls, tickets, get shell() { return shell; } };
}

main().catch((err) => {
  console.error(err);
  const n = document.getElementById("ticket-number");
  if (n) n.textContent = errorText(err);
});

export { el };
