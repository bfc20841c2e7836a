// The supervisor's charts of the day, drawn by Chart.js (from npm, bundled; only the
// pieces used are registered, so the rest stays out of the bundle). The numbers are
// daySeries (daychart.js) of the wall's board; each canvas has a text alternative and
// the same numbers are in a table under it (#chart-data).
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from "chart.js";
import { $, el, t } from "./common.js";
import { daySeries } from "./daychart.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const BLUE = "#0b4f8a";
const RED = "#a4161a";

function options(title) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    plugins: { legend: { display: false }, title: { display: false, text: title } },
    scales: {
      x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 12 } },
      y: { beginAtZero: true, ticks: { precision: 0 } },
    },
  };
}

export class DayCharts {
  constructor() {
    this.series = null;
    this.waiting = null;
    this.breaches = null;
  }

  /** Draw (or redraw) from the board at `now`. */
  update(board, now) {
    this.series = daySeries(board, now);
    const s = this.series;
    if (!this.waiting) {
      this.waiting = new Chart($("chart-waiting"), {
        type: "line",
        data: { labels: s.labels, datasets: [{ label: t("chart_waiting"), data: s.waiting, borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, stepped: true }] },
        options: options(t("chart_waiting")),
      });
      this.breaches = new Chart($("chart-breaches"), {
        type: "bar",
        data: { labels: s.labels, datasets: [{ label: t("chart_breaches"), data: s.breached, backgroundColor: RED }] },
        options: options(t("chart_breaches")),
      });
    } else {
      this.waiting.data.labels = s.labels;
      this.waiting.data.datasets[0].data = s.waiting;
      this.breaches.data.labels = s.labels;
      this.breaches.data.datasets[0].data = s.breached;
      this.waiting.update("none");
      this.breaches.update("none");
    }
    this.describe();
  }

  /** Text alternatives in the page's language: labels, and the numbers as a table. */
  describe() {
    const s = this.series;
    if (!s) return;
    const last = s.waiting.length - 1;
    $("chart-waiting").setAttribute("aria-label", `${t("chart_waiting")}: ${s.waiting[last]} (${s.labels[last]} WIB)`);
    $("chart-breaches").setAttribute("aria-label", `${t("chart_breaches")}: ${s.breached[last]} (${s.labels[last]} WIB)`);
    if (this.waiting) {
      this.waiting.data.datasets[0].label = t("chart_waiting");
      this.breaches.data.datasets[0].label = t("chart_breaches");
    }
    const body = $("chart-data-rows");
    body.textContent = "";
    // hourly rows (and now): the table is for reading, the chart for the shape
    s.times.forEach((time, i) => {
      if (i !== last && s.labels[i].slice(3) !== "00") return;
      body.append(el("tr", {}, el("th", { attrs: { scope: "row" }, text: s.labels[i] }),
        el("td", { text: String(s.waiting[i]) }), el("td", { text: String(s.breached[i]) })));
    });
  }
}
