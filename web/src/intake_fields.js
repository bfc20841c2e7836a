// Shared by the request form and walk-in intake: one form field as label + input, and
// what a document accepts (for <input type=file accept> and for reading).
import { el, t } from "./common.js";
import { localName } from "./i18n_intake.js";

const ACCEPT = { image: "image/*", pdf: "application/pdf" };

/** The `accept` attribute of a document's file input: "image/*,application/pdf". */
export function acceptOf(accepts) {
  return (accepts || []).map((k) => ACCEPT[k]).filter(Boolean).join(",");
}

/** "foto / PDF" */
export function acceptsText(accepts) {
  return (accepts || []).map((k) => t(`accepts_${k}`)).join(" / ");
}

/**
 * A field's label and input (text, textarea, date, number, select). `onInput(value)` is
 * called on every change. Returns [label, input].
 */
export function fieldInput(field, value, lang, onInput, prefix = "ff") {
  const id = `${prefix}-${field.code}`;
  const label = el("label", { attrs: { for: id }, text: localName(field, lang) + (field.required ? " *" : "") });
  let input;
  const common = { id, attrs: { "data-code": field.code }, required: field.required };
  if (field.kind === "textarea") {
    input = el("textarea", { ...common, rows: 3, maxLength: 2000 });
    input.value = value || "";
  } else if (field.kind === "select") {
    input = el("select", common, el("option", { value: "", text: t("choose") }),
      ...(field.options || []).map((o) => el("option", { value: o, text: o })));
    input.value = value || "";
  } else {
    const type = field.kind === "date" ? "date" : field.kind === "number" ? "number" : "text";
    input = el("input", { ...common, type, value: value || "" });
    if (type === "number") {
      input.min = "0";
      input.step = "1";
      input.inputMode = "numeric";
    } else if (type === "text") {
      input.maxLength = 200;
    }
  }
  const handler = () => onInput(input.value);
  input.addEventListener(field.kind === "select" || field.kind === "date" ? "change" : "input", handler);
  return [label, input];
}
