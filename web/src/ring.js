// A ring tone made with WebAudio (no audio file to download): two-tone bursts.
export class RingTone {
  constructor() {
    this.ctx = null;
    this.timer = null;
  }

  start() {
    if (this.timer) return;
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      this.ctx = this.ctx || new Ctx();
      if (this.ctx.state === "suspended") this.ctx.resume().catch(() => {});
    } catch (_) {
      return; // no audio: the screen still shows the call
    }
    const burst = () => {
      const ctx = this.ctx;
      const now = ctx.currentTime;
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0, now);
      gain.connect(ctx.destination);
      for (const [freq, start] of [[440, 0], [480, 0], [440, 0.5], [480, 0.5]]) {
        const osc = ctx.createOscillator();
        osc.frequency.value = freq;
        osc.connect(gain);
        osc.start(now + start);
        osc.stop(now + start + 0.4);
      }
      gain.gain.linearRampToValueAtTime(0.15, now + 0.05);
      gain.gain.setValueAtTime(0.15, now + 0.9);
      gain.gain.linearRampToValueAtTime(0, now + 1.0);
    };
    burst();
    this.timer = setInterval(burst, 3000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }
}
