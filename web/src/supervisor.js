// Placeholder until the dashboard lands.
import { initI18n } from "./common.js";
import { DICT } from "./i18n.js";

initI18n(DICT);
