// The reports page (/reports) for supervisors (their offices) and admins (all), #20 item 4,
// docs/protocol.md §17: a period, an office and a service; the numbers as tiles, two
// charts (reports_charts.js), a table per office and service, the rejection reasons, the
// survey's elements, and CSV / XLSX downloads of the same report.
import { $, api, el, errorText, getLang, initI18n, requireUser, t, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withIkm } from "./i18n_ikm.js";
import { ReportCharts } from "./reports_charts.js";
import "./supervisor.css";

const COLUMNS = [
  ["received", "reports_received"], ["completed", "reports_completed"], ["rejected", "reports_rejected"],
  ["completion_median_hours", "reports_median"], ["completion_p90_hours", "reports_p90"],
  ["sla_percent", "reports_sla"], ["ikm", "reports_ikm"], ["survey_responses", "reports_responses"],
  ["calls_answered", "reports_calls_answered"], ["calls_missed", "reports_calls_missed"],
  ["call_average_seconds", "reports_call_avg"],
];

let report = null;
const charts = new ReportCharts();

function jakartaDate(d = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(d);
}

function query() {
  const params = new URLSearchParams();
  for (const id of ["from", "to", "office", "service"]) {
    const node = $(`report-${id}`);
    if (node.value) params.set(node.name, node.value);
  }
  return params.toString();
}

function shown(key, value) {
  if (value == null) return t("reports_none");
  if (key === "sla_percent") return `${value}%`;
  if (key === "call_average_seconds") return `${Math.round(value)} s`;
  return String(value);
}

function fillSelect(select, items, valueOf, labelOf) {
  const keep = select.value;
  select.replaceChildren(select.options[0], ...items.map((i) => el("option", { value: String(valueOf(i)), text: labelOf(i) })));
  select.value = keep;
}

function render() {
  if (!report) return;
  const en = getLang() === "en";
  fillSelect($("report-office"), report.offices, (o) => o.id, (o) => o.name);
  fillSelect($("report-service"), report.services, (s) => s.code, (s) => (en ? s.name_en : s.name));
  const total = report.totals;
  const ikm = report.ikm.ikm == null ? t("reports_none") : `${report.ikm.ikm} · ${report.ikm.grade} ${en ? report.ikm.category_en : report.ikm.category}`;
  const tiles = [
    ...COLUMNS.filter(([k]) => k !== "ikm" && k !== "survey_responses").map(([k, label]) => [t(label), shown(k, total[k])]),
    [t("reports_ikm"), ikm],
    [t("reports_call_rating"), report.call_ratings.average == null ? t("reports_none") : `${report.call_ratings.average} / 4`],
  ];
  $("report-tiles").replaceChildren(...tiles.map(([label, value]) => el("div", { class: "tile" },
    el("span", { class: "num", text: value }), el("span", { class: "lbl", text: label }))));
  $("rows-head").replaceChildren(el("tr", {},
    el("th", { attrs: { scope: "col" }, text: t("reports_office") }),
    el("th", { attrs: { scope: "col" }, text: t("reports_service") }),
    ...COLUMNS.map(([, label]) => el("th", { attrs: { scope: "col" }, text: t(label) }))));
  $("rows-body").replaceChildren(...report.rows.map((r) => el("tr", {},
    el("th", { attrs: { scope: "row" }, text: r.office.name }),
    el("td", { text: en ? r.service.name_en : r.service.name }),
    ...COLUMNS.map(([k]) => el("td", { class: "num", text: shown(k, r[k]) })))));
  $("rows-empty").hidden = report.rows.length > 0;
  $("rejections-body").replaceChildren(...report.rejections.map((r) => el("tr", {},
    el("td", { text: r.reason }), el("td", { class: "num", text: String(r.count) }))));
  $("ikm-body").replaceChildren(...report.ikm.elements.map((e, i) => el("tr", {},
    el("th", { attrs: { scope: "row" }, text: `U${i + 1} ${en ? e.label_en : e.label}` }),
    el("td", { class: "num", text: report.ikm.responses ? String(e.nrr) : t("reports_none") }))));
  charts.draw(report);
}

async function load() {
  const q = query();
  $("report-csv").href = `/api/reports/export.csv?${q}`;
  $("report-xlsx").href = `/api/reports/export.xlsx?${q}`;
  $("report-error").textContent = "";
  $("report-status").textContent = t("reports_loading");
  try {
    ({ report } = await api("GET", `/api/reports?${q}`));
    $("report-status").textContent = `${report.period.from} – ${report.period.to}`;
    render();
  } catch (err) {
    $("report-status").textContent = "";
    $("report-error").textContent = errorText(err);
  }
}

async function main() {
  initI18n(withIkm(DICT), render);
  const me = await requireUser();
  wireLogout(me);
  const today = jakartaDate();
  $("report-to").value = today;
  $("report-from").value = `${today.slice(0, 8)}01`;
  $("report-form").addEventListener("submit", (e) => {
    e.preventDefault();
    load();
  });
  await load();
  window.hub = { page: "reports", get report() { return report; } };
}

main().catch((err) => {
  console.error(err);
  const n = document.getElementById("report-error");
  if (n) n.textContent = errorText(err);
});
