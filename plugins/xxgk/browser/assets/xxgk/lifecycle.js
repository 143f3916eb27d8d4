// @ts-check
// Status over time in the browser. The build derives every status an item ever has with
// the core's one rule (core/status.py status_steps) and writes them as steps,
// [label, start, label, start, label …] with ISO dates; pages only look a day up in them.
// The authoring form's preview shows an item being edited, which has no steps yet: it
// asks statusOn, the port of the rule itself (status_on), checked against the core on
// generated cases (tests/test_status_now.py).

/**
 * @param {string[]} steps
 * @param {string} day
 */
export function statusAt(steps, day) {
  let label = steps[0];
  for (let i = 1; i + 1 < steps.length && steps[i] <= day; i += 2) label = steps[i + 1];
  return label;
}

/**
 * @typedef {{status?: string, effective?: string, expires?: string, abolished?: {date?: string} | null}} Fields
 *   an item's front matter as the form holds it, dates as ISO strings
 */

/**
 * The status of an item on `day` by the core's rule (core/status.py status_on).
 * @param {Fields} item
 * @param {string} day
 * @param {string | null} newer the revision date of its newer version ("": not written), null: none
 */
export function statusOn(item, day, newer) {
  const written = item.status || "有效";
  if (written === "废止" && (!item.abolished || !item.abolished.date || item.abolished.date <= day)) return "废止";
  if (written === "已修订" && newer === null) return "已修订";
  if (newer !== null && (!newer || newer <= day)) return "已修订";
  if (written === "失效" && !item.expires) return "失效";
  if (item.expires && item.expires < day) return "失效";
  if (item.effective && item.effective > day) return "尚未施行";
  return "有效";
}

// The reader's date in China (UTC+8, no daylight saving), whatever the device's time zone.
export const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

// The day the build derived the page's statuses on (main.html).
export const asOf = () => document.querySelector('meta[name="xxgk-as-of"]')?.getAttribute("content") || "";

// A `.xx-now` element holds what the build showed and, per change still ahead, the same
// markup for that day in a <template data-xx-from>, rendered by the build. Once the
// reader's date has reached a change (after the build), show the last one that came.
export function refresh(root = document, day = today()) {
  if (!(day > asOf())) return;
  for (const box of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll(".xx-now"))) {
    const due = /** @type {HTMLTemplateElement[]} */ ([...box.children])
      .filter((t) => t.localName === "template" && (t.dataset.xxFrom || "") <= day)
      .pop();
    if (!due) continue;
    for (const node of [...box.childNodes]) if (node.nodeName !== "TEMPLATE") node.remove();
    box.prepend(due.content.cloneNode(true));
    box.dataset.xxShown = due.dataset.xxFrom;
  }
}

/**
 * @typedef {{index_no: string, published: string, publisher: number, doc_type: number,
 *   topics: number[], steps: (string | number)[], chain: number, title?: string, doc_no?: string}} Policy
 * @typedef {{labels: string[], publishers: string[], doc_types: string[], topics: string[],
 *   columns: string[], text_columns: string[], docs: Policy[], chains: number[][]}} Policies
 */

/** @param {string} url */
const getJson = (url) => fetch(url).then((r) => { if (!r.ok) throw new Error(`${url}: ${r.status}`); return r.json(); });

// The 在某日有效 data (output/ondate.py), fetched once per page: rows of `columns` (and,
// with `textsUrl`, the second file's `text_columns`), read here into named fields.
/** @type {Promise<Policies> | null} */
let policies = null;
/**
 * @param {string} url
 * @param {string} [textsUrl]
 * @returns {Promise<Policies>}
 */
export function loadPolicies(url, textsUrl = "") {
  policies ??= Promise.all([getJson(url), textsUrl ? getJson(textsUrl) : null]).then(([data, texts]) => {
    /** @param {string[]} columns @param {any[]} row */
    const named = (columns, row) => Object.fromEntries(columns.map((c, n) => [c, row[n]]));
    data.docs = data.docs.map((/** @type {any[]} */ row, /** @type {number} */ n) =>
      Object.assign(named(data.columns, row), texts ? named(data.text_columns, texts[n]) : {}));
    return data;
  });
  return policies;
}

/**
 * A document's status on `day` (a label), or null before it was published.
 * @param {Policies} data
 * @param {Policy} doc
 * @param {string} day
 */
export function policyStatusOn(data, doc, day) {
  return doc.published && doc.published <= day ? data.labels[Number(statusAt(/** @type {string[]} */ (doc.steps), day))] : null;
}
