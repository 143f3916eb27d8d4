// @ts-check
// Every page with statuses: show the changes that took effect after the page was built.
import { refresh } from "./lifecycle.js";

refresh();
