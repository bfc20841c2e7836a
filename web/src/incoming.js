// The incoming-call screen of every citizen page (#incoming, web/templates/_incoming.html):
// rings on `ringing` from /calls, stops on `ring_stopped`. Accepting on a page that
// is not the call's ticket page goes there (`/t/<id>#answer=<call>`), and that page
// answers as soon as the hub tells it the call still rings (it replays ringing calls
// to every socket that connects).
import { $, emitAck, t, tf } from "./common.js";
import { RingTone } from "./ring.js";
import { roleLabel } from "./timeline.js";

/** The page that answers `call`: its ticket page, told to answer at once. */
export function answerUrl(call) {
  return `/t/${call.ticket.id}#answer=${encodeURIComponent(call.call_id)}`;
}

/** Who is calling, for people: "Name · Role · Office". */
export function callerText(caller) {
  const c = caller || {};
  return [c.name, c.role ? roleLabel(c.role) : null, c.office_name].filter(Boolean).join(" · ");
}

export class IncomingCalls {
  /**
   * `socket`: the page's /calls socket. `onAccept(call)` (default: go to the call's
   * ticket page), `onDecline(call)` (default: `decline` on the socket), `busy()`:
   * true while this page is already in a call (then nothing rings).
   */
  constructor(socket, { onAccept, onDecline, busy } = {}) {
    this.socket = socket;
    this.ring = new RingTone();
    this.current = null;
    this.onAccept = onAccept || ((call) => location.assign(answerUrl(call)));
    this.onDecline = onDecline || ((call) => emitAck(socket, "decline", { call_id: call.call_id }).catch(() => {}));
    this.busy = busy || (() => false);
    this.box = $("incoming");
    $("incoming-accept").addEventListener("click", () => {
      const call = this.current;
      this.close();
      if (call) this.onAccept(call);
    });
    $("incoming-decline").addEventListener("click", () => {
      const call = this.current;
      this.close();
      if (call) this.onDecline(call);
    });
    socket.on("ringing", (call) => this.ringing(call));
    socket.on("ring_stopped", (msg) => {
      if (this.current && msg.call_id === this.current.call_id) this.close();
    });
  }

  ringing(call) {
    if (this.busy() || (this.current && this.current.call_id === call.call_id)) return;
    this.current = call;
    this.render();
    this.box.hidden = false;
    this.box.dataset.callId = call.call_id;
    this.ring.start();
    $("incoming-accept").focus();
    if (document.hidden && "Notification" in window && Notification.permission === "granted") {
      const note = new Notification(t("incoming_call"), { body: callerText(call.caller), tag: `call-${call.call_id}` });
      note.onclick = () => {
        window.focus();
        note.close();
      };
    }
  }

  render() {
    const call = this.current;
    if (!call) return;
    $("incoming-who").textContent = callerText(call.caller);
    $("incoming-media").textContent = t(call.media === "video" ? "video_call" : "voice_call");
    $("incoming-ticket").textContent = call.ticket ? tf("call_about", { number: call.ticket.number }) : "";
  }

  close() {
    this.ring.stop();
    this.box.hidden = true;
    this.current = null;
  }

  rerender() {
    this.render();
  }
}
