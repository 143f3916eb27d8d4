// @ts-check
// The search page (search/): reads the form from the URL, asks search.js (or, on a portal that
// names its search door, door.js first), draws the results. No query logic here:
// window.xxgk.search is the contract the page, the door and the tests share.
import RULES from "./rules.js";
import { search } from "./search.js";
import { DoorDown, search as viaDoor } from "./door.js";
import { asOf, loadPolicies, policyStatusOn, statusAt, today } from "./lifecycle.js";
import { cnDate, el, fromUrl, toUrl } from "./page.js";

const PER_PAGE = 10;
const KIND = Object.fromEntries(RULES.statuses.map((k) => [k.label, k]));   // core/status.py
const NOT_REPEALED = RULES.statuses.filter((k) => !k.repealed).map((k) => k.label);   // what "不显示已废止、失效" keeps

const form = /** @type {HTMLFormElement} */ (document.getElementById("xx-sform"));
const status = document.getElementById("xx-sstatus");
const list = /** @type {HTMLOListElement} */ (document.getElementById("xx-sresults"));
const pager = document.getElementById("xx-spager");
// the filters the page offers (a portal adds 成员单位): every drop-down but the sort
const FILTERS = [...form.querySelectorAll("select")].map((s) => s.name).filter((name) => name !== "sort");
const DOOR = form.dataset.door || "";   // a portal's search door (portal/door.py), if it names one
const FELL_BACK = "（全站检索服务暂时无法访问，已改为在浏览器中逐个检索各成员单位，速度较慢，结果可能不全。）";

function read() {
  const params = fromUrl(form);
  /** @type {HTMLInputElement} */ (document.getElementById("xx-q")).value = params.get("q") || "";
  // filters start folded on phones, unless this search uses one
  const filtered = [...FILTERS, "sort", "current", "on"].some((k) => params.get(k));
  if (filtered || matchMedia("(min-width: 45em)").matches) /** @type {HTMLDetailsElement} */ (document.getElementById("xx-sfilters")).open = true;
  return { params, page: Math.max(1, parseInt(params.get("page") || "1", 10) || 1) };
}

function request(params) {
  const filters = {};
  for (const key of FILTERS) if (params.get(key)) filters[key] = params.get(key);
  if (!filters.status && params.get("current") === "1") filters.status = NOT_REPEALED;
  return { query: (params.get("q") || "").trim(), filters, sort: params.get("sort") === "date" ? "date" : "relevance" };
}

// 在某日有效: only the 规章 and 行政规范性文件 in force on that day (the build's steps, lifecycle.js)
async function inForceOn(day) {
  const data = await loadPolicies(form.dataset.policies);
  const ids = data.docs.filter((doc) => KIND[policyStatusOn(data, doc, day)]?.in_force).map((doc) => doc.index_no);
  return ids.length ? ids : ["-"];   // none: a value no document has
}

function row(r) {
  const day = today();
  const label = day > asOf() ? statusAt([r.status, ...r.ahead], day) : r.status;   // a change since the build
  const meta = el("p", { className: "xx-sresult__meta" },
    el("span", {}, `发布机构：${r.publisher}`),
    el("span", {}, "发布日期：", el("time", { dateTime: r.date, textContent: r.date })),
    r.doc_no ? el("span", {}, `发文字号：${r.doc_no}`) : null,
    r.validity ? el("span", { className: `xx-status xx-status--${KIND[label].css}` },
      el("span", { ariaHidden: "true", textContent: KIND[label].mark }), label) : null);
  const excerpt = r.excerpt.length ? el("p", { className: "xx-sresult__excerpt" },
    ...r.excerpt.map((p) => (p.hit ? el("mark", { textContent: p.text }) : p.text))) : null;
  return el("li", { className: "xx-sresult" },
    el("h2", { className: "xx-sresult__title" }, el("a", { href: r.url, textContent: r.title })), meta, excerpt);
}

function drawPager(params, page, pages) {
  pager.replaceChildren();
  pager.hidden = pages <= 1;
  const link = (n, text, rel) => {
    const p = new URLSearchParams(params);
    p.set("page", n);
    return el("a", { href: `?${p}`, textContent: text, rel: rel || "" });
  };
  if (page > 1) pager.append(link(page - 1, "上一页", "prev"));
  pager.append(el("span", { className: "xx-pager__info", textContent: `第 ${page} / ${pages} 页` }));
  if (page < pages) pager.append(link(page + 1, "下一页", "next"));
}

// A shard that could not be read leaves the answer incomplete: say so, naming the members.
function unread(shards) {
  if (!shards.length) return "";
  const members = [...new Set(shards.map((s) => s.member).filter(Boolean))];
  return `（${members.length ? members.join("、") : "部分年份"}的文件暂时无法检索，结果可能不全，请稍后再试。）`;
}

// A portal member whose index the portal cannot merge (built by another Pagefind version)
// is never in the results: say whose, and why (portal/read.py unmergeable).
function leftOut(members) {
  return members.map((m) => `（${m.member}的文件不在本次检索范围内：${m.why}。）`).join("");
}

// A portal that names its door asks it first; when the door does not answer, the members'
// own indexes are searched in this browser (search.js) and `fellBack` says so.
async function find(query, options) {
  if (DOOR) {
    try {
      return await viaDoor(DOOR, query, options);
    } catch (err) {
      if (!(err instanceof DoorDown)) throw err;
      console.warn("全站检索服务无法访问", err);
    }
  }
  const draw = options.onUpdate;
  const fellBack = (found) => Object.assign(found, { fellBack: !!DOOR });
  return fellBack(await search(query, { ...options, onUpdate: draw && ((found) => draw(fellBack(found))) }));
}

// The engine's count of each drop-down value under the other filters (成员单位's are the
// members' totals): 教育局（1,203）. Without the door's counts, the values alone.
function counts(facets) {
  for (const key of FILTERS) {
    const select = /** @type {HTMLSelectElement} */ (form.elements.namedItem(key));
    for (const option of select.options) {
      if (!option.hasAttribute("value")) option.value = option.text;   // the value stays the name
      if (!option.value) continue;
      const n = facets?.[key]?.[option.value];
      option.text = facets?.[key] ? `${option.value}（${(n || 0).toLocaleString("zh-CN")}）` : option.value;
    }
  }
}

let current = 0;
async function run() {
  const { params, page } = read();
  const { query, filters, sort } = request(params);
  const on = params.get("on") || "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(on)) filters.policy = await inForceOn(on);
  if (!query && !Object.keys(filters).length) {
    status.textContent = "请输入检索词，可检索标题、正文、发文字号和索引号。";
    list.replaceChildren();
    pager.hidden = true;
    if (DOOR) viaDoor(DOOR, "", { limit: 0 }).then((found) => counts(found.facets), () => counts(null));
    return;
  }
  const mine = ++current;
  status.textContent = "正在检索……";
  try {
    const what = query ? `“${query}”` : "所选条件";
    const draw = (found) => {
      if (mine !== current) return;
      if (found.refused) status.textContent = found.refused;   // the door refused (400, 429): what to do
      else if (found.done) status.textContent = (found.count ? `${what}共找到 ${found.count} 条结果` : `${what}没有找到结果，请换一个检索词或减少筛选条件。`)
        + unread(found.unread) + leftOut(found.left_out || []) + (found.fellBack ? FELL_BACK : "");
      else status.textContent = `${what}已找到 ${found.count} 条，正在检索更早的文件……` + (found.fellBack ? FELL_BACK : "");
      if (DOOR) counts(found.facets);
      list.replaceChildren(...found.results.map(row));
      list.start = (page - 1) * PER_PAGE + 1;
      drawPager(params, page, Math.ceil(found.count / PER_PAGE));
    };
    // Until a match is drawn, how far back the search has read: a rare phrase reads every
    // shard, which on a slow phone takes half a minute, and a bare 正在检索 looks stuck.
    const progress = ({ answered, of, after }) => {
      if (mine !== current) return;
      status.textContent = after
        ? `正在检索……${cnDate(after)}以后发布的文件已查完，正在查更早的文件。`
        : `正在检索……已查完 ${answered} 部分，共 ${of} 部分。`;
    };
    // the newest documents are drawn as soon as their shard answers; the count follows
    draw(await find(query, { filters, sort, limit: PER_PAGE, offset: (page - 1) * PER_PAGE, onUpdate: draw, onProgress: progress }));
  } catch (err) {
    status.textContent = "搜索暂时不可用，请稍后再试，或从“法定主动公开内容”按目录查找。";
    console.error(err);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = toUrl(form, (k, v) => !(k === "sort" && v === "relevance"));
  history.pushState(null, "", `?${params}`);
  run();
});
form.addEventListener("change", (event) => {
  const field = /** @type {HTMLInputElement} */ (event.target);
  if (field.tagName === "SELECT" || field.type === "checkbox" || field.type === "date") form.requestSubmit();
});
window.addEventListener("popstate", run);
run();
