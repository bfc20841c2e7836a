// The citizen's requests (/requests): each with its status, what happens next, when it
// was submitted (WIB) and its unread notifications; a link to each ticket page and to
// the new-request form; a search of one's own requests and comments (search_box.js).
// The bell, the menu and incoming calls come from shell.js.
import { $, api, el, errorText, fullTime, initI18n, requireUser, t, tf } from "./common.js";
import { DICT } from "./i18n.js";
import { withCitizen } from "./i18n_citizen.js";
import { withSearch } from "./i18n_search.js";
import { SearchBox } from "./search_box.js";
import { statusLabel } from "./timeline.js";
import { startShell } from "./shell.js";

let tickets = null;
let shell = null;
let seenTotal = null;
let search = null;

function serviceName(s) {
  return document.documentElement.lang === "en" && s.name_en ? s.name_en : s.name;
}

function render() {
  const list = $("my-ticket-list");
  list.textContent = "";
  if (tickets === null) return;
  if (!tickets.length) {
    list.append(el("li", { class: "muted", text: t("no_tickets") }));
    return;
  }
  for (const tk of tickets) {
    const unread = shell && shell.bell ? shell.bell.unreadOf(tk.id) : 0;
    list.append(el("li", { attrs: { "data-ticket-id": String(tk.id) } },
      el("a", { href: `/t/${tk.id}`, class: "request" },
        el("span", { class: "request-head" },
          el("strong", { text: `${tk.queue} · ${tk.number}` }),
          unread ? el("span", { class: "count", text: tf("unread_badge", { n: unread }) }) : null),
        el("span", { class: "request-service", text: serviceName(tk.service) }),
        el("span", { class: "status", attrs: { "data-status": tk.status }, text: statusLabel(tk.status) }),
        el("span", { class: "request-next", text: t(`next_${tk.status}`) }),
        el("span", { class: "muted request-time", text: tf("submitted_on", { time: fullTime(tk.created_at) }) }))));
  }
}

async function load() {
  ({ tickets } = await api("GET", "/api/tickets?limit=100"));
  render();
}

async function main() {
  initI18n(withSearch(withCitizen(DICT)), () => {
    render();
    if (search) search.render();
    if (shell) shell.rerender();
  });
  const me = await requireUser();
  // only the citizen's own requests and their comments come back
  search = new SearchBox({ hrefOf: (id) => `/t/${id}` });
  // something new (a reply, a status change): the list is read again
  shell = startShell(me, {
    onCounts: (counts) => {
      const fresh = seenTotal !== null && counts.total > seenTotal;
      seenTotal = counts.total;
      if (fresh) load().catch(() => {});
      else render();
    },
  });
  try {
    await load();
  } catch (err) {
    $("my-ticket-list").append(el("li", { class: "error", text: errorText(err) }));
    return;
  }
  window.hub = { page: "requests", get shell() { return shell; } };
}

main().catch((err) => console.error(err));
