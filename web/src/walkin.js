// Walk-in intake at the counter (front office): the applicant (name, phone, optional NIK),
// the letter type, its form and the documents seen; then the receipt to print
// (thermal 58/80 mm or A4) with the queue number, the access code and the QR code.
import { $, api, el, errorText, getLang, t, tf } from "./common.js";
import { localName } from "./i18n_intake.js";
import { fieldInput } from "./intake_fields.js";

export class WalkIn {
  constructor(me, reference, onCreated) {
    this.me = me;
    this.reference = reference;
    this.onCreated = onCreated;
    this.form = {};
  }

  /** The front office of an office that issues letters gets the button. */
  wire() {
    const office = this.office();
    if (this.me.role !== "front_office" || !office) return;
    $("walkin-open").hidden = false;
    $("walkin-open").addEventListener("click", () => this.open());
    $("walkin-close").addEventListener("click", () => $("dlg-walkin").close());
    $("walkin-service").addEventListener("change", () => {
      this.form = {};
      this.renderService();
    });
    $("walkin-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  office() {
    return this.reference.offices.find((o) => o.id === this.me.office_id) || null;
  }

  services() {
    const office = this.office();
    return this.reference.services.filter((s) => office && s.office_level === office.level);
  }

  open() {
    $("walkin-form").reset();
    $("walkin-error").textContent = "";
    $("walkin-result").hidden = true;
    $("walkin-office").textContent = this.office().name;
    const select = $("walkin-service");
    select.textContent = "";
    select.append(el("option", { value: "", text: t("choose") }));
    for (const s of this.services()) select.append(el("option", { value: s.code, text: `${s.code} — ${localName(s, getLang())}` }));
    this.form = {};
    this.renderService();
    $("dlg-walkin").showModal();
    $("walkin-name").focus();
  }

  renderService() {
    const service = this.services().find((s) => s.code === $("walkin-service").value);
    const docs = $("walkin-docs");
    const fields = $("walkin-fields");
    docs.textContent = "";
    fields.textContent = "";
    if (!service) return;
    const lang = getLang();
    for (const r of service.requirements) {
      const id = `seen-${r.code}`;
      docs.append(el("li", {}, el("label", { attrs: { for: id } },
        el("input", { type: "checkbox", id, value: r.code, attrs: { "data-code": r.code } }),
        `${localName(r, lang)}${r.required ? "" : ` (${t("optional_mark")})`}`)));
    }
    for (const f of service.fields) {
      fields.append(...fieldInput(f, "", lang, (v) => { this.form[f.code] = v; }, "wf"));
    }
  }

  async submit() {
    $("walkin-error").textContent = "";
    const service = $("walkin-service").value;
    const body = {
      channel: "walk_in",
      service_code: service,
      office_id: this.me.office_id,
      applicant_name: $("walkin-name").value.trim(),
      form: Object.fromEntries(Object.entries(this.form).filter(([, v]) => v !== "")),
      documents_seen: [...$("walkin-docs").querySelectorAll("input:checked")].map((x) => x.value),
    };
    const phone = $("walkin-phone").value.trim();
    const nik = $("walkin-nik").value.trim();
    if (phone) body.applicant_phone = phone;
    if (nik) body.applicant_nik = nik;
    const button = $("walkin-form").querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const res = await api("POST", "/api/tickets", body);
      this.showResult(res);
      if (this.onCreated) this.onCreated(res.ticket);
    } catch (err) {
      $("walkin-error").textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  }

  showResult(res) {
    const tk = res.ticket;
    $("walkin-done").textContent = tf("walkin_done", { queue: tk.queue, number: tk.number, code: res.access_code });
    const links = $("walkin-print");
    links.textContent = "";
    for (const layout of ["80", "58", "a4"]) {
      links.append(el("a", {
        class: "button", href: `${res.receipt_url}?layout=${layout}`, text: `${t("print_receipt")} · ${t(`layout_${layout}`)}`,
        attrs: { target: "_blank", rel: "noopener", "data-layout": layout },
      }));
    }
    $("walkin-result").hidden = false;
    $("walkin-done").focus();
  }
}
