// New-message alerts of the officer console while its tab is in the background: a short
// beep made with Web Audio (no file, no request) and a count in the title —
// "(3) ASINAN — Konsol Petugas" — cleared when the officer comes back. The beep can be
// muted with #sound-toggle; the choice is kept in localStorage.
import { $, t, tf } from "./common.js";

const KEY = "asinan.sound";

function storedOn() {
  try {
    return localStorage.getItem(KEY) !== "off";
  } catch (_) {
    return true;
  }
}

export class Alerts {
  constructor() {
    this.button = $("sound-toggle");
    this.base = document.title;
    this.count = 0;
    this.played = 0; // beeps actually started (read by the tests)
    this.on = storedOn();
    this.audio = null;
    this.button.addEventListener("click", () => this.toggle());
    // Browsers start audio only after a gesture on the page: get it ready on the first one.
    const unlock = () => this.context();
    window.addEventListener("pointerdown", unlock, { once: true, capture: true });
    window.addEventListener("keydown", unlock, { once: true, capture: true });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.clear();
    });
    this.rerender();
  }

  /** A message for this officer arrived: beep and count it, if nobody is looking. */
  newMessage() {
    if (!document.hidden) return;
    this.count += 1;
    this.showTitle();
    if (this.on) this.beep();
  }

  clear() {
    this.count = 0;
    this.showTitle();
  }

  showTitle() {
    document.title = this.count ? tf("new_messages_title", { n: this.count > 99 ? "99+" : this.count, title: this.base }) : this.base;
  }

  toggle() {
    this.on = !this.on;
    try {
      localStorage.setItem(KEY, this.on ? "on" : "off");
    } catch (_) {
      /* storage unavailable: the choice lasts for this page */
    }
    if (this.on) this.context();
    this.rerender();
  }

  rerender() {
    this.button.textContent = t(this.on ? "sound_on" : "sound_off");
    this.button.setAttribute("aria-pressed", String(this.on));
    this.showTitle();
  }

  context() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!this.audio) this.audio = new Ctx();
    if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
    return this.audio;
  }

  /** Two short tones (~0.3 s), quiet enough for an office. */
  beep() {
    const ctx = this.context();
    if (!ctx) return;
    if (ctx.state === "running") this.tones(ctx);
    else ctx.resume().then(() => ctx.state === "running" && this.tones(ctx)).catch(() => {});
  }

  tones(ctx) {
    const start = ctx.currentTime;
    for (const [offset, freq] of [[0, 880], [0.16, 1175]]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + offset);
      osc.stop(start + offset + 0.15);
    }
    this.played += 1;
  }
}
