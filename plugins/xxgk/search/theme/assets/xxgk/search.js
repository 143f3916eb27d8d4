// xxgk search: the one place that turns a query into results (window.xxgk.search).
// It cuts the query into the same words the build indexed (plugins/xxgk/searchtext.py),
// looks 发文字号/索引号 up by their key words first, and searches every shard of
// pagefind/ (one Pagefind index per run of publication years, merged with mergeIndex).

const ROOT = new URL("../../", import.meta.url);           // the site root, sub-path included
const BUNDLE = new URL("pagefind/", ROOT);
const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const WORD = new RegExp(`[${HAN}]+|[0-9a-z]+`, "gu");
const HAN_RUN = new RegExp(`^[${HAN}]+$`, "u");
const DOC_NO = new RegExp(`^([${HAN}]+)\\s*[\\[(（〔【［]\\s*(\\d{4})\\s*[\\])）〕】］]\\s*第?\\s*0*(\\d+)\\s*号?$`, "u");
const NUMERALS = "零〇一二两三四五六七八九十百千";
const ORDER_NO = new RegExp(`^([${HAN}]+)令\\s*第?\\s*(\\d+|[${NUMERALS}]+)\\s*号?$`, "u");
const DIGIT = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNIT = { 十: 10, 百: 100, 千: 1000 };
const INDEX_NO = /^[0-9a-z][0-9a-z.\-]*\/[0-9a-z.\-\/]+$/;
const KEY = { own: "xxgkd", cited: "xxgkc", index: "xxgki" };

export const normalise = (text) => text.normalize("NFKC").toLowerCase();

// The phrase to look for: Han runs as overlapping bigrams; a run keeps its closing single
// character only when more words follow, as it does in the indexed text.
export function queryWords(query) {
  const runs = normalise(query).match(WORD) || [];
  const out = [];
  runs.forEach((run, n) => {
    const chars = Array.from(run);
    if (HAN_RUN.test(run) && chars.length > 1) {
      for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
      if (n < runs.length - 1) out.push(chars[chars.length - 1]);
    } else out.push(run);
  });
  return out;
}

function fnv64(text) {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

// 10, 010, 十, 一百零八, 七〇八 → the number (searchtext.number)
function number(written) {
  if (/^\d+$/.test(written)) return parseInt(written, 10);
  const chars = Array.from(written);
  if (!chars.some((c) => c in UNIT)) return parseInt(chars.map((c) => DIGIT[c]).join(""), 10);
  let total = 0, digit = 0;
  for (const c of chars) {
    if (c in UNIT) { total += (digit || 1) * UNIT[c]; digit = 0; } else digit = DIGIT[c];
  }
  return total + digit;
}

// The key of a 发文字号 (津政办函〔2018〕10) or a 令号 (云溪市人民政府令10), as searchtext.doc_no_key.
export function docNoKey(query) {
  const text = normalise(query).trim();
  let m = text.match(DOC_NO);
  if (m) return `${m[1]}〔${m[2]}〕${m[3]}`;
  m = text.match(ORDER_NO);
  return m ? `${m[1]}令${number(m[2])}` : "";
}

let manifest = null;
const loaded = new Map();   // member (a portal's 成员单位 filter, "" for all) -> index
function load(member = "") {
  if (!loaded.has(member)) loaded.set(member, (async () => {
    manifest ??= fetch(new URL("manifest.json", BUNDLE)).then((r) => r.json());
    const { shards: all, years } = await manifest;
    // A portal's manifest names each shard's member site (relative to the portal or absolute)
    // and the member filter it is merged with; a site's own shards name neither. Searching
    // one member loads that member's shards only.
    const mine = all.filter((s) => s.filter?.member === member);
    const shards = (mine.length ? mine : all).map((s) => s.site === undefined
      ? { url: new URL(`${s.id}/`, BUNDLE).href, options: {} }
      : { url: new URL(`${s.site}pagefind/${s.id}/`, ROOT).href, options: { baseUrl: new URL(s.site, ROOT).href, mergeFilter: s.filter } });
    const api = await import(new URL("pagefind.js", shards[0].url).href);
    // Pagefind takes its language from <html lang> when an instance is created, and for
    // zh it re-segments the query with Intl.Segmenter, which would split our bigrams.
    // The index is language "und"; lang is zh-CN again before anything can render.
    const html = document.documentElement, lang = html.getAttribute("lang");
    html.setAttribute("lang", "und");
    let pf;
    try { pf = api.createInstance({ basePath: shards[0].url, excerptLength: 0, ...shards[0].options }); }
    finally { html.setAttribute("lang", lang); }
    // a member that cannot be reached leaves the others searchable
    const merged = await Promise.allSettled(shards.slice(1).map((s) => pf.mergeIndex(s.url, { language: "und", ...s.options })));
    merged.forEach((m, n) => m.status === "rejected" && console.warn("搜索分片无法加载", shards[n + 1].url, m.reason));
    return { pf, years };
  })());
  return loaded.get(member);
}

// One term's results in order. Merged shards interleave by score, and in a sorted search
// Pagefind's score is the rank inside its own shard; a shard never splits a year, so a
// date order is the years newest first, each sorted by Pagefind.
async function find({ pf, years }, term, { filters, sort }) {
  if (sort !== "date") return (await pf.search(term, { filters })).results;
  const wanted = filters.year ? [].concat(filters.year.any || filters.year) : years;
  const lists = await Promise.all(years.filter((y) => wanted.includes(y)).map((year) =>
    pf.search(term, { filters: { ...filters, year }, sort: { date: "desc" } })));
  return lists.flatMap((r) => r.results);
}

// Pagefind matches a quoted phrase word for word, exactly; unquoted words match as prefixes.
// A lone Han character is a prefix of every bigram it starts, so it stays unquoted alone.
// A phrase ending in one (2018年) may be followed by more Han text (2018年度), which the
// exact phrase misses: the phrase without it follows as a looser tier.
function phrases(words) {
  const single = (w) => HAN_RUN.test(w) && Array.from(w).length === 1;
  if (words.length === 1) return [single(words[0]) ? words[0] : `"${words[0]}"`];
  const out = [`"${words.join(" ")}"`];
  if (single(words[words.length - 1])) out.push(...phrases(words.slice(0, -1)));
  return out;
}

const dedup = (lists) => {
  const seen = new Set(), out = [];
  for (const list of lists) for (const r of list) if (!seen.has(r.id)) { seen.add(r.id); out.push(r); }
  return out;
};

// Result lists, best first: exact 发文字号 / 索引号 matches, then documents citing that
// 发文字号, then the text. Words typed apart (营商 环境) must all occur.
async function tiers(index, query, options) {
  const compact = normalise(query).replace(/\s+/g, "");
  const keys = [];
  const docNo = docNoKey(compact);
  if (docNo) keys.push(KEY.own + fnv64(docNo), KEY.cited + fnv64(docNo));
  if (INDEX_NO.test(compact)) keys.push(KEY.index + fnv64(compact));
  const parts = normalise(query).split(/\s+/).map(queryWords).filter((w) => w.length).map(phrases);
  const [keyed, ...text] = await Promise.all([
    Promise.all(keys.map((k) => find(index, k, options))),
    ...parts.map(async (terms) => dedup(await Promise.all(terms.map((t) => find(index, t, options))))),
  ]);
  if (!text.length) return keyed;
  const every = text.slice(1).map((list) => new Set(list.map((r) => r.id)));
  return [...keyed, text[0].filter((r) => every.every((ids) => ids.has(r.id)))];
}

// The excerpt comes from the item's own text, which the build puts in the fragment (stable.py):
// the text around the first place a part of the query occurs as the index matched it (its
// words in order, nothing but punctuation or spaces between them), every such place marked.
// Positions are kept per source character, so punctuation, digits and Latin letters show as written.
const BETWEEN = `[^${HAN}0-9a-z]*`;
const BEFORE = 20, LENGTH = 100;   // characters shown before the first match, and in all

function excerpt(text, query) {
  const chars = Array.from(text || "");
  let norm = "";
  const source = [];   // source[i]: the character that norm's i-th UTF-16 unit comes from
  chars.forEach((c, i) => { const n = normalise(c); norm += n; for (let k = 0; k < n.length; k++) source.push(i); });
  const patterns = normalise(query).split(/\s+/).map((part) => (part.match(WORD) || []).join(BETWEEN)).filter(Boolean);
  const hits = patterns.length ? [...norm.matchAll(new RegExp(patterns.join("|"), "gu"))]
    .map((m) => [source[m.index], source[m.index + m[0].length - 1] + 1]) : [];
  const from = hits.length ? Math.max(0, hits[0][0] - BEFORE) : 0;
  const to = Math.min(chars.length, from + LENGTH);
  const out = [];
  const add = (text, hit) => {
    if (!text) return;
    if (out.length && out[out.length - 1].hit === hit) out[out.length - 1].text += text;
    else out.push({ text, hit });
  };
  if (from > 0) add("…", false);
  let at = from;
  for (const [a, b] of hits) {
    if (b <= at || a >= to) continue;
    add(chars.slice(at, Math.max(at, a)).join(""), false);
    add(chars.slice(Math.max(at, a), Math.min(b, to)).join(""), true);
    at = Math.min(b, to);
  }
  add(chars.slice(at, to).join(""), false);
  if (to < chars.length) add("…", false);
  return out;
}

/**
 * search(query, {filters, sort: "relevance" | "date", limit}) →
 *   {count, results: [{url, title, publisher, date, doc_no, status, index_no, excerpt}]}
 * filters: {category, topic, publisher, year, status, doc_type, and on a portal member} → a value or a list of values.
 * An empty query with filters lists every matching document.
 */
export async function search(query, { filters = {}, sort = "relevance", limit = 10, offset = 0 } = {}) {
  const index = await load(typeof filters.member === "string" ? filters.member : "");
  const options = { filters: cleanFilters(filters), sort };
  const q = (query || "").trim();
  const lists = q ? await tiers(index, q, options) : [await find(index, null, options)];
  const merged = dedup(lists);
  const page = await Promise.all(merged.slice(offset, offset + limit).map((r) => r.data()));
  return {
    count: merged.length,
    results: page.map((d) => ({
      url: sameOrigin(new URL(d.url, location.href)), title: d.meta.title, publisher: d.meta.publisher, date: d.meta.date,
      doc_no: d.meta.doc_no || "", status: d.meta.status, index_no: d.meta.index_no,
      ahead: d.meta.ahead ? d.meta.ahead.split(" ") : [],   // status changes after the build (lifecycle.js)
      excerpt: q ? excerpt(d.content, q) : [],
    })),
  };
}

const sameOrigin = (url) => (url.origin === location.origin ? url.pathname : url.href);

function cleanFilters(filters) {
  const out = {};
  for (const [k, v] of Object.entries(filters)) {
    const values = (Array.isArray(v) ? v : [v]).filter((x) => x !== "" && x != null);
    if (values.length) out[k] = values.length === 1 ? values[0] : { any: values };
  }
  return out;
}

window.xxgk = Object.assign(window.xxgk || {}, { search, queryWords, docNoKey });
