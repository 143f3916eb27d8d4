// Status over time in the browser. The build derives every status an item ever has with
// the core's one rule (core/relate.py status_steps) and writes them as steps,
// [label, start, label, start, label …] with ISO dates; this module only looks a day up.

export function statusAt(steps, day) {
  let label = steps[0];
  for (let i = 1; i + 1 < steps.length && steps[i] <= day; i += 2) label = steps[i + 1];
  return label;
}

// The reader's date in China (UTC+8, no daylight saving), whatever the device's time zone.
export const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

// The day the build derived the page's statuses on (main.html).
export const asOf = () => document.querySelector('meta[name="xxgk-as-of"]')?.content || "";

// A `.xx-now` element holds what the build showed and, per change still ahead, the same
// markup for that day in a <template data-xx-from>, rendered by the build. Once the
// reader's date has reached a change (after the build), show the last one that came.
export function refresh(root = document, day = today()) {
  if (!(day > asOf())) return;
  for (const box of root.querySelectorAll(".xx-now")) {
    const due = [...box.children].filter((t) => t.localName === "template" && t.dataset.xxFrom <= day).pop();
    if (!due) continue;
    for (const node of [...box.childNodes]) if (node.nodeName !== "TEMPLATE") node.remove();
    box.prepend(due.content.cloneNode(true));
    box.dataset.xxShown = due.dataset.xxFrom;
  }
}

// The 在某日有效 data (output/ondate.py), fetched once per page. Each document is
// [index_no, published, publisher, doc_type, [topic …], steps, chain], and with
// `textsUrl` (the second file) also title and 文号 at the end.
const getJson = (url) => fetch(url).then((r) => { if (!r.ok) throw new Error(`${url}: ${r.status}`); return r.json(); });
let policies = null;
export function loadPolicies(url, textsUrl = "") {
  policies ??= Promise.all([getJson(url), textsUrl ? getJson(textsUrl) : null]).then(([data, texts]) => {
    if (texts) data.docs.forEach((doc, n) => doc.push(...texts[n]));
    return data;
  });
  return policies;
}

// A document's status on `day` (a label), or null before it was published.
export function policyStatusOn(data, doc, day) {
  return doc[1] && doc[1] <= day ? data.labels[statusAt(doc[5], day)] : null;
}
