// Helpers of the account pages: their error wording, the code step, a countdown.
import { $, api, errorText, t, tf } from "./common.js";

/** An error in the page's language: the account pages' countdown and tries left, else errorText. */
export function messageOf(err) {
  if (!err) return t("err_generic");
  if (err.code === "offline") return t("err_offline");
  if (err.code === "rate_limited" && err.details && err.details.retry_after) {
    return tf("wait_seconds", { n: Math.ceil(err.details.retry_after) });
  }
  if (err.code === "invalid" && err.details && err.details.field === "code" && err.details.attempts_left > 0) {
    return tf("attempts_left", { n: err.details.attempts_left });
  }
  return errorText(err);
}

/** Disable `button` for `seconds`, showing the countdown; then give it `label` back. */
export function countdown(button, seconds, labelKey) {
  let left = Math.ceil(seconds);
  button.disabled = true;
  const tick = () => {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = t(labelKey);
      return;
    }
    button.textContent = tf("resend_in", { n: left });
    left -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}

/**
 * Ask for a code for `purpose` to the phone in `#<prefix>-phone`; on success show
 * `#step-details` and start the re-send countdown on `#resend`.
 */
export function wireCodeStep(prefix, purpose, onSent) {
  const form = $("form-phone");
  const error = $("phone-error");
  const phone = $(`${prefix}-phone`);
  const send = async () => {
    error.textContent = "";
    const body = { phone: phone.value.trim(), purpose };
    const sent = await api("POST", "/api/accounts/code", body);
    $("code-sent").textContent = tf("code_sent", { phone: body.phone });
    countdown($("resend"), sent.resend_after, "resend_code");
    onSent();
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await send();
    } catch (err) {
      error.textContent = messageOf(err);
      phone.focus();
    } finally {
      button.disabled = false;
    }
  });
  $("resend").addEventListener("click", async () => {
    try {
      await send();
    } catch (err) {
      $("details-error").textContent = messageOf(err);
    }
  });
}

/** Focus the input of the field a server error names, if the page has it. */
export function focusField(err, ids) {
  const field = err && err.details && err.details.field;
  const id = field && ids[field];
  if (id) $(id).focus();
}
