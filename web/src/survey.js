// The satisfaction survey (IKM) on the citizen's ticket page (docs/protocol.md §17):
// offered once the request is completed, nine elements on a 1–4 scale, sent once.
// Each element is a fieldset of four radio buttons, so it works by keyboard and a
// screen reader reads the element with each choice.
import { $, api, el, errorText, getLang, t } from "./common.js";

export class SurveyCard {
  constructor(ticketId) {
    this.ticketId = ticketId;
    this.root = $("survey-card");
    this.form = $("survey-form");
    this.note = $("survey-note");
    this.state = null;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
  }

  /** Read the survey's state (after a status change too) and show it if it concerns us. */
  async load() {
    const { survey } = await api("GET", `/api/tickets/${this.ticketId}/survey`);
    const first = !this.state;
    this.state = survey;
    if (first || !this.form.querySelector("fieldset")) this.render();
    else this.show();
  }

  show() {
    const s = this.state;
    this.root.hidden = !s || !(s.offered || (s.answered && this.sent));
    this.form.hidden = !s || !s.offered;
  }

  render() {
    const s = this.state;
    if (!s) return;
    const en = getLang() === "en";
    const chosen = new FormData(this.form);
    const list = $("survey-elements");
    list.replaceChildren(
      ...s.elements.map((e, i) => el(
        "fieldset", { class: "survey-element" },
        el("legend", { text: `${i + 1}. ${en ? e.label_en : e.label}` }),
        el("div", { class: "survey-scale" }, ...s.scale.map((v) => el(
          "label", { class: "survey-choice" },
          el("input", {
            type: "radio", name: e.code, value: String(v.value),
            checked: chosen.get(e.code) === String(v.value),
          }),
          el("span", { class: "survey-value", text: String(v.value) }),
          el("span", { class: "survey-word", text: t(`survey_scale_${v.value}`) }),
        ))),
      )),
    );
    this.show();
  }

  async send() {
    const data = new FormData(this.form);
    const answers = {};
    for (const e of this.state.elements) {
      const v = data.get(e.code);
      if (!v) {
        this.note.textContent = t("survey_missing");
        const first = this.form.querySelector(`input[name="${e.code}"]`);
        if (first) first.focus();
        return;
      }
      answers[e.code] = Number(v);
    }
    const button = $("survey-send");
    button.disabled = true;
    try {
      const { survey } = await api("POST", `/api/tickets/${this.ticketId}/survey`, { answers });
      this.state = survey;
      this.sent = true;
      this.note.textContent = t("survey_thanks");
    } catch (err) {
      if (err.code === "conflict") {
        this.sent = true;
        this.state = { ...this.state, offered: false, answered: true };
        this.note.textContent = t("survey_thanks");
      } else {
        this.note.textContent = errorText(err);
      }
    } finally {
      button.disabled = false;
    }
    this.show();
    this.note.focus();
  }
}
