// Calls on the /calls namespace (docs/protocol.md §6): the officer invites and
// makes the offer; the applicant's accepting device answers. Trickle ICE both
// ways. The in-call view shows remote + local video, mute, camera off, hang up,
// the duration and a connection quality read from getStats(), and who the other
// side is (the caller's name, role and office; the applicant and the ticket).
import { $, emitAck, errorText, relayOnly, t, tf } from "./common.js";
import { callerText } from "./incoming.js";
import { mmss } from "./timeline.js";
import { hideRating, offerRating } from "./callrating.js";

function rtcConfig(iceServers) {
  const config = { iceServers: iceServers || [] };
  if (relayOnly()) config.iceTransportPolicy = "relay";
  return config;
}

/** Good / fair / poor from round-trip time and loss. */
export function qualityOf(rttMs, lossRatio) {
  if (rttMs == null) return null;
  if (rttMs < 300 && lossRatio < 0.03) return "good";
  if (rttMs < 800 && lossRatio < 0.1) return "fair";
  return "poor";
}

export class CallView {
  constructor(onHangup) {
    this.root = $("call-view");
    this.status = $("call-status");
    this.remote = $("remote-video");
    this.local = $("local-video");
    this.duration = $("call-duration");
    this.quality = $("call-quality");
    this.mute = $("call-mute");
    this.camera = $("call-camera");
    $("call-hangup").addEventListener("click", onHangup);
    this.mute.addEventListener("click", () => this.toggle("audio"));
    this.camera.addEventListener("click", () => this.toggle("video"));
    this.stream = null;
    this.timer = null;
    this.stats = null;
  }

  /** `peer`: who is on the other side, as text. */
  open(statusKey, media, peer = "") {
    this.root.hidden = false;
    this.rating = false;
    hideRating();
    this.root.dataset.media = media;
    $("call-peer").textContent = peer;
    this.setStatus(statusKey);
    this.camera.hidden = media !== "video";
    this.mute.setAttribute("aria-pressed", "false");
    this.mute.textContent = t("mute");
    this.camera.setAttribute("aria-pressed", "false");
    this.camera.textContent = t("camera_off");
    this.duration.textContent = "00:00";
    this.quality.textContent = "—";
    $("call-hangup").focus();
  }

  setStatus(key) {
    this.statusKey = key;
    this.status.textContent = t(key);
  }

  setState(state) {
    this.root.dataset.state = state;
  }

  showLocal(stream) {
    this.stream = stream;
    this.local.srcObject = stream;
  }

  showRemote(stream) {
    if (this.remote.srcObject !== stream) this.remote.srcObject = stream;
    const play = this.remote.play();
    if (play && play.catch) play.catch(() => {});
  }

  toggle(kind) {
    if (!this.stream) return;
    const tracks = kind === "audio" ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    const off = tracks.some((tr) => tr.enabled);
    for (const tr of tracks) tr.enabled = !off;
    const button = kind === "audio" ? this.mute : this.camera;
    button.setAttribute("aria-pressed", String(off));
    button.textContent = kind === "audio" ? t(off ? "unmute" : "mute") : t(off ? "camera_on" : "camera_off");
  }

  startClock(pc) {
    const started = Date.now();
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.duration.textContent = mmss((Date.now() - started) / 1000);
    }, 1000);
    clearInterval(this.stats);
    let lastLost = 0;
    let lastRecv = 0;
    this.stats = setInterval(async () => {
      try {
        const report = await pc.getStats();
        let rtt = null;
        let lost = 0;
        let recv = 0;
        report.forEach((s) => {
          if (s.type === "candidate-pair" && s.state === "succeeded" && s.nominated && s.currentRoundTripTime != null) {
            rtt = s.currentRoundTripTime * 1000;
          }
          if (s.type === "inbound-rtp") {
            lost += s.packetsLost || 0;
            recv += s.packetsReceived || 0;
          }
        });
        const dLost = lost - lastLost;
        const dRecv = recv - lastRecv;
        lastLost = lost;
        lastRecv = recv;
        const q = qualityOf(rtt, dLost + dRecv > 0 ? dLost / (dLost + dRecv) : 0);
        if (q) {
          this.quality.textContent = `${t(`q_${q}`)} (${Math.round(rtt)} ms)`;
          this.root.dataset.quality = q;
        }
      } catch (_) {
        /* closed meanwhile */
      }
    }, 2000);
  }

  close(outcome) {
    clearInterval(this.timer);
    clearInterval(this.stats);
    this.setState("ended");
    this.status.textContent = outcome ? `${t("call_ended")} — ${t(`out_${outcome}`)}` : t("call_ended");
    if (this.stream) for (const tr of this.stream.getTracks()) tr.stop();
    this.stream = null;
    this.remote.srcObject = null;
    this.local.srcObject = null;
    setTimeout(() => {
      if (this.root.dataset.state === "ended" && !this.rating) this.root.hidden = true;
    }, 4000);
  }

  /** The callee's one-tap rating of the answered call; the view stays until it is given. */
  offerRating(callId) {
    this.rating = true;
    offerRating(callId, () => {
      this.rating = false;
      if (this.root.dataset.state === "ended") this.root.hidden = true;
    });
  }

  rerender() {
    if (this.statusKey && this.root.dataset.state !== "ended") this.status.textContent = t(this.statusKey);
  }
}

/** One side of a call: owns the RTCPeerConnection and the /calls socket listeners. */
export class CallClient {
  constructor(socket, { onRinging, onRingStopped } = {}) {
    this.socket = socket;
    this.view = new CallView(() => this.hangup());
    this.onRinging = onRinging || (() => {});
    this.onRingStopped = onRingStopped || (() => {});
    this.reset();
    socket.on("accepted", (m) => this.mine(m) && this.makeOffer());
    socket.on("declined", (m) => this.mine(m) && this.finish("declined"));
    socket.on("ended", (m) => this.mine(m) && this.finish(m.outcome));
    socket.on("offer", (m) => this.mine(m) && this.takeOffer(m.description));
    socket.on("answer", (m) => this.mine(m) && this.pc && this.takeAnswer(m.description));
    socket.on("ice", (m) => this.mine(m) && this.addIce(m.candidate));
    socket.on("ringing", (m) => this.onRinging(m));
    socket.on("ring_stopped", (m) => this.onRingStopped(m));
    socket.on("peer_lost", (m) => this.mine(m) && this.view.setStatus("reconnecting"));
    socket.on("peer_rejoined", (m) => {
      if (!this.mine(m)) return;
      this.view.setStatus("connecting");
      if (this.role === "caller") this.makeOffer(true);
    });
    socket.on("connect", () => this.rejoin());
    window.__call = this; // for diagnostics and browser tests
  }

  reset() {
    this.callId = null;
    this.role = null;
    this.media = null;
    this.pc = null;
    this.stream = null;
    this.iceServers = [];
    this.pendingIce = [];
    this.pendingOffer = null;
  }

  mine(m) {
    return m && this.callId && m.call_id === this.callId;
  }

  get active() {
    return this.callId != null;
  }

  async getMedia(media) {
    return navigator.mediaDevices.getUserMedia({ audio: true, video: media === "video" });
  }

  /** Officer: ring the applicant of `ticketId`; `peer` says who that is ("Pemohon: …"). */
  async invite(ticketId, media, peer = "") {
    if (this.active) return;
    this.media = media;
    this.role = "caller";
    this.view.open("calling", media, peer);
    this.view.setState("ringing");
    try {
      this.stream = await this.getMedia(media);
      this.view.showLocal(this.stream);
      const ack = await emitAck(this.socket, "invite", { ticket_id: ticketId, media });
      this.callId = ack.call_id;
      this.iceServers = ack.ice_servers;
      if (ack.status === "ended") this.finish(ack.outcome);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Applicant: take the ringing call `call` (from the `ringing` event). */
  async accept(call) {
    this.callId = call.call_id;
    this.media = call.media;
    this.role = "callee";
    this.view.open("connecting", call.media, callerText(call.caller));
    this.view.setState("connecting");
    try {
      this.stream = await this.getMedia(call.media);
      this.view.showLocal(this.stream);
      const ack = await emitAck(this.socket, "accept", { call_id: call.call_id });
      this.iceServers = ack.ice_servers;
      this.createPeer();
      if (this.pendingOffer) {
        const offer = this.pendingOffer;
        this.pendingOffer = null;
        await this.takeOffer(offer);
      }
    } catch (err) {
      this.fail(err);
    }
  }

  async decline(call) {
    try {
      await emitAck(this.socket, "decline", { call_id: call.call_id });
    } catch (_) {
      /* already over */
    }
  }

  createPeer() {
    const pc = new RTCPeerConnection(rtcConfig(this.iceServers));
    this.pc = pc;
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    pc.addEventListener("icecandidate", (e) => {
      const c = e.candidate;
      const candidate = c && c.candidate ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : null;
      if (this.callId) emitAck(this.socket, "ice", { call_id: this.callId, candidate }).catch((err) => console.warn("ice not relayed", err && (err.code || err.message)));
    });
    pc.addEventListener("track", (e) => {
      this.view.showRemote(e.streams[0] || new MediaStream([e.track]));
    });
    pc.addEventListener("connectionstatechange", () => {
      this.view.setState(pc.connectionState);
      if (pc.connectionState === "connected") {
        this.view.setStatus("connected");
        if (!this.clockStarted) {
          this.clockStarted = true;
          this.view.startClock(pc);
        }
      } else if (pc.connectionState === "failed" && this.role === "caller") {
        this.makeOffer(true);
      }
    });
    return pc;
  }

  async makeOffer(restart = false) {
    try {
      if (!this.pc) this.createPeer();
      this.view.setStatus("connecting");
      const offer = await this.pc.createOffer(restart ? { iceRestart: true } : {});
      await this.pc.setLocalDescription(offer);
      await emitAck(this.socket, "offer", { call_id: this.callId, description: { type: "offer", sdp: this.pc.localDescription.sdp } });
    } catch (err) {
      this.fail(err);
    }
  }

  async takeOffer(description) {
    if (!this.pc) {
      this.pendingOffer = description;
      return;
    }
    try {
      await this.pc.setRemoteDescription(description);
      await this.drainIce();
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      await emitAck(this.socket, "answer", { call_id: this.callId, description: { type: "answer", sdp: this.pc.localDescription.sdp } });
    } catch (err) {
      this.fail(err);
    }
  }

  async takeAnswer(description) {
    try {
      await this.pc.setRemoteDescription(description);
      await this.drainIce();
    } catch (err) {
      this.fail(err);
    }
  }

  async addIce(candidate) {
    if (!this.pc || !this.pc.remoteDescription) {
      this.pendingIce.push(candidate);
      return;
    }
    try {
      await this.pc.addIceCandidate(candidate || null);
    } catch (err) {
      console.warn("bad candidate", err);
    }
  }

  async drainIce() {
    const list = this.pendingIce;
    this.pendingIce = [];
    for (const c of list) await this.addIce(c);
  }

  async rejoin() {
    const id = this.callId;
    if (!id || !this.pc) return;
    // The hub moves the call to this socket only once it has noticed that the old one
    // is gone (a dead connection within ping interval + timeout, 40 s); until then the
    // answer is "forbidden", so keep asking for a while.
    const until = Date.now() + 45000;
    for (;;) {
      try {
        await emitAck(this.socket, "rejoin", { call_id: id });
        if (this.role === "caller") await this.makeOffer(true);
        return;
      } catch (err) {
        if (this.callId !== id) return;
        if (!(err && err.code === "forbidden" && Date.now() < until)) {
          this.finish("failed");
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (this.callId !== id || !this.socket.connected) return; // a later connect rejoins
    }
  }

  async hangup() {
    const id = this.callId;
    if (!id) {
      this.finish(null);
      return;
    }
    try {
      const ack = await emitAck(this.socket, "hangup", { call_id: id });
      this.finish(ack.outcome);
    } catch (_) {
      this.finish(null);
    }
  }

  fail(err) {
    console.warn("call failed", err);
    const id = this.callId;
    if (id) emitAck(this.socket, "hangup", { call_id: id }).catch(() => {});
    this.finish(null);
    this.view.status.textContent = err && err.name && err.name.endsWith("Error") && !err.code ? t("err_media") : errorText(err);
  }

  finish(outcome) {
    if (this.pc) this.pc.close();
    if (this.stream) for (const tr of this.stream.getTracks()) tr.stop();
    this.view.close(outcome);
    if (this.role === "callee" && this.clockStarted && this.callId) this.view.offerRating(this.callId);
    this.clockStarted = false;
    this.reset();
  }

  rerender() {
    this.view.rerender();
  }
}

export { tf };
