// What every page of a signed-in citizen carries besides its own content (also the
// account and notification-settings pages of officers): the menu, the bell, the
// service worker with this device's push subscription kept fresh, and — for
// citizens — the incoming-call screen, so a call rings on any of their pages.
import { beforeLogout, connect, t, wireLogout } from "./common.js";
import { Bell } from "./bell.js";
import { IncomingCalls } from "./incoming.js";
import { currentSubscription, forgetDevice, refreshSubscription, registerWorker } from "./push.js";

/** The page a person lands on (as web/access.py home_of). */
export function homeOf(me) {
  if (me.ticket_id) return `/t/${me.ticket_id}`;
  if (me.role === "citizen") return "/requests";
  if (me.role === "admin") return "/admin";
  if (me.role === "supervisor") return "/supervisor";
  return "/officer";
}

function wireNav(me) {
  const nav = document.getElementById("nav");
  if (!nav) return;
  if (me.ticket_id) {
    // a receipt login has its one ticket only (and no inbox, so no settings)
    document.getElementById("nav-prefs").remove();
  }
  if (me.role !== "citizen" || me.ticket_id) {
    const home = document.getElementById("nav-home");
    home.href = homeOf(me);
    home.dataset.i18n = "my_page";
    home.textContent = t("my_page");
    document.getElementById("nav-new").remove();
  }
  for (const link of nav.querySelectorAll("a")) {
    if (link.pathname === location.pathname) link.setAttribute("aria-current", "page");
  }
}

/**
 * Start the shell for `me`. Options: `calls` (the page's own /calls socket, else one
 * is opened for citizens), `incoming` (IncomingCalls options: the ticket page answers
 * its own calls in place), `onCounts` (unread counts, per ticket).
 */
export function startShell(me, { calls, incoming, onCounts } = {}) {
  wireLogout(me);
  wireNav(me);
  registerWorker();
  refreshSubscription().catch((err) => console.warn("push subscription not refreshed", err));
  // a shared phone: whoever signs out here stops getting pushes on it
  beforeLogout(async () => {
    const sub = await currentSubscription();
    if (sub) await forgetDevice(sub.endpoint);
  });
  const bell = !me.ticket_id && document.getElementById("bell") ? new Bell({ onCounts }) : null;
  if (me.ticket_id) {
    const wrap = document.querySelector(".bell-wrap");
    if (wrap) wrap.hidden = true; // receipt logins have no inbox
  }
  let ring = null;
  let callSocket = calls || null;
  if (me.role === "citizen") {
    callSocket = callSocket || connect("/calls");
    ring = new IncomingCalls(callSocket, incoming || {});
  }
  return {
    bell,
    ring,
    callSocket,
    rerender() {
      if (bell) bell.rerender();
      if (ring) ring.rerender();
    },
  };
}
