// The supervisor page's views beside the wall: officers (roster.js), call history
// (callhistory.js), today's charts (charts.js), the canned replies (#replies), search
// (search_box.js) and the audit trail (audit_trail.js). One is shown at a time, chosen by
// the nav links (#wall, #officers, #calls, #charts, #replies, #search, #audit —
// linkable); the first four draw from the same live board as the wall, and only while
// they are shown.
import { $ } from "./common.js";
import { CallHistory } from "./callhistory.js";
import { DayCharts } from "./charts.js";
import { Roster } from "./roster.js";
import { SearchBox } from "./search_box.js";
import { AuditTrail } from "./audit_trail.js";

const VIEWS = ["wall", "officers", "calls", "charts", "replies", "search", "audit"];

export class SupervisorViews {
  constructor({ board, officeName }) {
    this.board = board;
    this.current = null;
    this.roster = new Roster({ board, officeName });
    this.calls = new CallHistory({ board, officeName });
    this.charts = new DayCharts();
    // a result opens the ticket in the console (/tickets/{id} sends officers there)
    this.search = new SearchBox({ hrefOf: (id) => `/tickets/${id}` });
    this.audit = new AuditTrail();
    window.addEventListener("hashchange", () => this.show(this.fromHash()));
  }

  fromHash() {
    const name = location.hash.replace("#", "");
    return VIEWS.includes(name) ? name : "wall";
  }

  /** Show the view of the address; call once the board has its first snapshot. */
  start() {
    this.show(this.fromHash());
  }

  show(name) {
    const changed = this.current !== name;
    this.current = name;
    for (const view of VIEWS) {
      $(`view-${view}`).hidden = view !== name;
      const link = document.querySelector(`.views a[data-view="${view}"]`);
      if (view === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (changed && name === "audit") this.audit.load();
    if (changed && name === "search") $("search-q").focus();
    if (!changed || this.board.officeId == null) return;
    if (name === "officers") this.roster.loadSummary();
    if (name === "calls") {
      this.calls.fillOffices();
      this.calls.load();
    }
    this.render(Date.now());
  }

  /** The board changed (or time passed): redraw the view on screen. */
  render(now) {
    if (this.board.officeId == null) return;
    if (this.current === "officers") this.roster.render();
    if (this.current === "calls") this.calls.render();
    if (this.current === "charts") this.charts.update(this.board, now);
  }

  /** A call delta: the history changes when a call ends. */
  callChanged(call) {
    if (this.current === "calls") this.calls.changed(call);
  }

  /** After a language switch. */
  rerender() {
    if (this.current === "calls") this.calls.fillOffices();
    this.charts.describe();
    this.search.render();
    if (this.current === "audit") this.audit.render();
    this.render(Date.now());
  }
}
