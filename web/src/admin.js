// The admin pages (role admin, desktop): officers, offices, services, the working
// calendar (cuti bersama), the audit trail.
import { $, api, initI18n, requireUser, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withAccounts } from "./i18n_accounts.js";
import { withLetters } from "./i18n_letters.js";
import { withIntake } from "./i18n_intake.js";
import * as officers from "./admin_officers.js";
import * as offices from "./admin_offices.js";
import * as services from "./admin_services.js";
import * as audit from "./admin_audit.js";
import * as calendar from "./admin_calendar.js";
import { ctx } from "./admin_ctx.js";

const TABS = { officers, offices, services, calendar, audit };
// The tabs answer from the first paint; the data a tab shows loads once the page knows
// who is signed in (a click before that is remembered, not lost).
let ready = false;
let wanted = "officers";

function select(name) {
  wanted = name;
  for (const key of Object.keys(TABS)) {
    const tab = $(`tab-${key}`);
    const on = key === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${key}`).hidden = !on;
  }
  if (!ready) return;
  ctx.clear();
  TABS[name].show().catch(ctx.fail);
}

function wireTabs() {
  const names = Object.keys(TABS);
  for (const [i, name] of names.entries()) {
    const tab = $(`tab-${name}`);
    tab.addEventListener("click", () => select(name));
    tab.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      const next = names[(i + step + names.length) % names.length];
      select(next);
      $(`tab-${next}`).focus();
    });
  }
  for (const button of document.querySelectorAll("dialog [data-close]")) {
    button.addEventListener("click", () => button.closest("dialog").close());
  }
}

async function main() {
  wireTabs();
  initI18n(withIntake(withLetters(withAccounts(DICT))), () => ctx.rerender());
  const user = await requireUser();
  if (user.role !== "admin") {
    location.assign("/");
    return;
  }
  wireLogout(user);
  const { offices: list } = await api("GET", "/api/admin/offices");
  ctx.setOffices(list);
  for (const tab of Object.values(TABS)) tab.init();
  ready = true;
  select(wanted);
}

main().catch((err) => {
  console.error(err);
  ctx.fail(err);
});
