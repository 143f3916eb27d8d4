// @ts-check
// 在某日有效 (policies/date/): reads the form from the URL (?date=2021-07-01&…), looks every
// document's status on that day up in the build's steps (lifecycle.js), draws the answer.
import { loadPolicies, policyStatusOn, today } from "./lifecycle.js";
import { cnDate as cn, el, fromUrl, toUrl } from "./page.js";
import RULES from "./rules.js";

const IN_FORCE = new Set(RULES.statuses.filter((k) => k.in_force).map((k) => k.label));   // core/status.py

const STEP = 50;
const form = /** @type {HTMLFormElement} */ (document.getElementById("xx-dform"));
const status = document.getElementById("xx-dstatus");
const list = document.getElementById("xx-dresults");
const more = document.getElementById("xx-dmore");
const badges = [.../** @type {HTMLTemplateElement} */ (document.getElementById("xx-badges")).content.children];   // in data.labels order
const ISO = /^\d{4}-\d{2}-\d{2}$/;

function badge(data, label) {
  return badges[data.labels.indexOf(label)].cloneNode(true);
}

function link(data, doc) {
  const href = new URL(form.dataset.root.replace(/\/?$/, "/") + data.item_url.replace("{}", doc.index_no), location.href);
  return el("a", { href: href.pathname, textContent: doc.title });
}

function versions(data, doc, day) {
  const chain = data.chains[doc.chain].map((n) => data.docs[n]).filter((v) => v.published && v.published <= day);
  if (chain.length < 2) return null;
  const items = chain.map((v) => {
    const label = policyStatusOn(data, v, day);
    return el("li", {}, v === doc ? el("strong", { textContent: `${v.title}（本件）` }) : link(data, v), " ",
      el("span", { className: "xx-related__meta" }, v.doc_no ? `${v.doc_no} · ` : "", badge(data, label),
        IN_FORCE.has(label) ? "（当日现行版本）" : null));
  });
  return el("div", { className: "xx-dversions" }, el("span", { textContent: "当日版本：" }), el("ol", {}, ...items));
}

function row(data, doc, day, label) {
  return el("li", { className: "xx-dresult" },
    el("h2", { className: "xx-sresult__title" }, link(data, doc)),
    el("p", { className: "xx-sresult__meta" },
      doc.doc_no ? el("span", {}, `文号：${doc.doc_no}`) : null,
      el("span", {}, `发布机构：${data.publishers[doc.publisher]}`),
      el("span", {}, "发布日期：", el("time", { dateTime: doc.published, textContent: doc.published })),
      el("span", {}, `${cn(day)}：`, badge(data, label))),
    doc.chain >= 0 ? versions(data, doc, day) : null);
}

function read() {
  const params = fromUrl(form);
  const asked = params.get("date") || "";
  const day = ISO.test(asked) ? asked : today();
  /** @type {HTMLInputElement} */ (form.elements.namedItem("date")).value = day;
  return { params, day, bad: asked && !ISO.test(asked) ? asked : "" };
}

async function run() {
  const { params, day, bad } = read();
  status.textContent = "正在计算……";
  let data;
  try { data = await loadPolicies(form.dataset.src, form.dataset.texts); } catch (err) {
    status.textContent = "数据暂时无法读取，请稍后再试。";
    console.error(err);
    return;
  }
  const want = { publisher: params.get("publisher"), doc_type: params.get("doc_type"), topic: params.get("topic") };
  const wanted = params.get("status") || "";   // "": in force (the form's 当日有效)
  const counts = Object.fromEntries(data.labels.map((l) => [l, 0]));
  const found = [];
  for (const doc of data.docs) {
    if (want.publisher && data.publishers[doc.publisher] !== want.publisher) continue;
    if (want.doc_type && data.doc_types[doc.doc_type] !== want.doc_type) continue;
    if (want.topic && !doc.topics.some((t) => data.topics[t] === want.topic)) continue;
    const label = policyStatusOn(data, doc, day);
    if (label === null) continue;
    counts[label] += 1;
    if (wanted === "all" || (wanted ? wanted === label : IN_FORCE.has(label))) found.push([doc, label]);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = data.labels.filter((l) => counts[l]).map((l) => `${l} ${counts[l]} 件`);
  status.textContent = (bad ? `“${bad}”不是有效的日期，已改为今天。` : "") +
    `${cn(day)}：本站登记的规章和行政规范性文件中，当日已发布 ${total} 件` + (parts.length ? `（${parts.join("，")}）` : "") +
    `；下面列出${wanted === "all" ? "全部" : wanted ? `当日${wanted}的` : "当日有效的"} ${found.length} 件。`;   // "": in force
  let shown = 0;
  list.replaceChildren();
  const page = () => {
    list.append(...found.slice(shown, shown + STEP).map(([doc, label]) => row(data, doc, day, label)));
    shown = Math.min(found.length, shown + STEP);
    more.hidden = shown >= found.length;
  };
  more.onclick = page;
  page();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = toUrl(form);
  history.pushState(null, "", `?${params}`);
  run();
});
form.addEventListener("change", (event) => { if (/** @type {Element} */ (event.target).tagName === "SELECT") form.requestSubmit(); });
window.addEventListener("popstate", run);
run();
