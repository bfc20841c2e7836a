// Entry for the citizen page (placeholder; bundled to static/dist/citizen.js).
import { connect, emitAck, setLang, t } from "./common.js";

setLang(null); // applies the stored/default language to <html lang>

// Exposed for the page's inline glue and browser tests until the UI lands.
window.hub = { connect, emitAck, setLang, t, page: "citizen" };
