// The reports page's charts, drawn by Chart.js (bundled, as for the supervisor's charts):
// requests per day, and the survey's average per element. Each canvas has a text
// alternative; the same numbers are in the tables under them.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { $, getLang, t } from "./common.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, Tooltip);

const COLORS = { received: "#0b4f8a", completed: "#1d6b2f", rejected: "#a4161a" };

function options(extra = {}) {
  return {
    animation: false, responsive: true, maintainAspectRatio: false,
    plugins: { legend: { display: true, position: "bottom" } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    ...extra,
  };
}

export class ReportCharts {
  constructor() {
    this.daily = null;
    this.ikm = null;
  }

  draw(report) {
    const days = report.daily.map((d) => d.day.slice(5));
    const sets = ["received", "completed", "rejected"].map((k) => ({
      label: t(`reports_${k}`), data: report.daily.map((d) => d[k]), backgroundColor: COLORS[k],
    }));
    const en = getLang() === "en";
    const elements = report.ikm.elements;
    const ikmData = {
      labels: elements.map((e, i) => `U${i + 1}`),
      datasets: [{ label: "NRR", data: elements.map((e) => e.nrr), backgroundColor: COLORS.received }],
    };
    if (this.daily) this.daily.destroy();
    if (this.ikm) this.ikm.destroy();
    this.daily = new Chart($("chart-daily"), { type: "bar", data: { labels: days, datasets: sets }, options: options() });
    this.ikm = new Chart($("chart-ikm"), {
      type: "bar", data: ikmData,
      options: options({
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => (en ? elements[items[0].dataIndex].label_en : elements[items[0].dataIndex].label) } },
        },
        scales: { y: { beginAtZero: true, min: 0, max: 4 } },
      }),
    });
    const total = report.totals;
    $("chart-daily").setAttribute("aria-label",
      `${t("reports_chart_daily")}: ${t("reports_received")} ${total.received}, ${t("reports_completed")} ${total.completed}, ${t("reports_rejected")} ${total.rejected}`);
    const ikmText = report.ikm.ikm == null ? t("reports_none") : `${report.ikm.ikm} (${report.ikm.grade})`;
    $("chart-ikm").setAttribute("aria-label", `${t("reports_chart_ikm")}: IKM ${ikmText}`);
  }
}
