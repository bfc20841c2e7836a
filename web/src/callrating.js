// The one-tap rating of an answered call, on the call's end screen (docs/protocol.md §17):
// the callee (the applicant) taps 1–4 once; the screen then thanks and closes.
import { $, api, errorText, t, tf } from "./common.js";

/** Show the rating for `callId`; `done()` once it is sent or set aside. */
export function offerRating(callId, done) {
  const box = $("rate-call");
  const note = $("rate-call-note");
  box.hidden = false;
  note.textContent = "";
  const buttons = [...box.querySelectorAll("button[data-rating]")];
  for (const b of buttons) {
    b.disabled = false;
    b.setAttribute("aria-label", `${tf("rate_n", { n: b.dataset.rating })}: ${t(`survey_scale_${b.dataset.rating}`)}`);
    b.onclick = async () => {
      for (const x of buttons) x.disabled = true;
      try {
        await api("POST", `/api/calls/${encodeURIComponent(callId)}/rating`, { rating: Number(b.dataset.rating) });
        note.textContent = t("rate_thanks");
      } catch (err) {
        note.textContent = err.code === "conflict" ? t("rate_thanks") : errorText(err);
      }
      setTimeout(() => {
        box.hidden = true;
        done();
      }, 3000);
    };
  }
}

export function hideRating() {
  const box = document.getElementById("rate-call");
  if (box) box.hidden = true;
}
