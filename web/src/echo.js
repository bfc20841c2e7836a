// "Cek kamera & mikrofon": a loopback call to the hub's echo peer (echo_offer on
// /calls). Shows the picture coming back, checks that sound arrives, and measures
// the round trip on the `echo` data channel.
import { $, emitAck, relayOnly, t, tf } from "./common.js";

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState === "complete") resolve();
    };
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, 4000); // enough candidates by then
  });
}

export async function echoCheck(socket) {
  const result = $("echo-result");
  const view = $("echo-view");
  const button = $("echo-start");
  button.disabled = true;
  result.textContent = t("echo_running");
  let stream = null;
  let pc = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    view.hidden = false;
    $("echo-local").srcObject = stream;
    pc = new RTCPeerConnection(relayOnly() ? { iceTransportPolicy: "relay" } : {});
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.addEventListener("track", (e) => {
      $("echo-remote").srcObject = e.streams[0] || new MediaStream([e.track]);
    });
    const channel = pc.createDataChannel("echo");
    const rtts = [];
    channel.addEventListener("message", (e) => rtts.push(performance.now() - Number(e.data)));
    channel.addEventListener("open", () => {
      let n = 0;
      const ping = setInterval(() => {
        if (channel.readyState !== "open" || n++ >= 5) clearInterval(ping);
        else channel.send(String(performance.now()));
      }, 300);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const ack = await emitAck(socket, "echo_offer", { description: { type: "offer", sdp: pc.localDescription.sdp } }, 20000);
    await pc.setRemoteDescription(ack.description);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    let audio = 0;
    const report = await pc.getStats();
    report.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "audio") audio += s.bytesReceived || 0;
    });
    const rtt = rtts.length ? Math.round(rtts.reduce((a, b) => a + b, 0) / rtts.length) : "—";
    result.textContent = audio > 0 ? tf("echo_ok", { ms: rtt }) : t("echo_no_audio");
    result.dataset.outcome = audio > 0 ? "ok" : "no_audio";
  } catch (err) {
    result.textContent = tf("echo_failed", { err: err.code || err.name || err.message });
    result.dataset.outcome = "failed";
  } finally {
    if (pc) pc.close();
    if (stream) for (const tr of stream.getTracks()) tr.stop();
    $("echo-local").srcObject = null;
    $("echo-remote").srcObject = null;
    view.hidden = true;
    button.disabled = false;
  }
}
