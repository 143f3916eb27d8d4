// @ts-check
// xxgk search: the one place that turns a query into results (window.xxgk.search).
// It cuts the query into the same words the build indexed (plugins/xxgk/search/text.py),
// looks 发文字号/令号/索引号 up by their key words first, and searches the shards of pagefind/
// (one Pagefind index per run of publication dates, listed newest first in manifest.json),
// each in its own Pagefind instance made when a query first needs it: the newest shard
// answers first and can be drawn while the older ones are still loading.

import RULES from "./rules.js";

const ROUTES = RULES.routes;                               // core/urls.py
const ROOT = new URL(ROUTES.assets.replace(/[^/]+/g, ".."), import.meta.url);   // the site root, sub-path included
const BUNDLE = new URL(ROUTES.pagefind, ROOT);
// The rules shared with the build come from rules.js, which the build writes (search/browser.py).
const HAN = RULES.han.map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join("");
const WORD = new RegExp(`[${HAN}]+|[0-9a-z]+`, "gu");
const HAN_RUN = new RegExp(`^[${HAN}]+$`, "u");
const DOC_NO = new RegExp(`^(?:${RULES.doc_no})$`, "u");
const ORDER_NO = new RegExp(`^(?:${RULES.order_no})$`, "u");
const KEY = RULES.keys;
const RUN_END = RULES.run_end;   // marks a run-end word (search/text.py)
// The site's index_no_pattern; one JavaScript cannot read (Python-only syntax) lets every query look.
const INDEX_NO = (() => { try { return new RegExp(`^(?:${RULES.index_no})$`, "iu"); } catch { return /./; } })();

export const normalise = (text) => text.normalize("NFKC").toLowerCase();

// The phrase to look for (search/text.py query_words): each Han character a word; a Han run
// that another run follows ends there in the text too (its run-end word, 境z), and so does a
// last run of one character (2018年), which phrases() also asks without it.
export function queryWords(query) {
  const runs = normalise(query).match(WORD) || [];
  const out = [];
  runs.forEach((run, n) => {
    const chars = Array.from(run);
    if (HAN_RUN.test(run)) {
      out.push(...chars);
      if (n < runs.length - 1 || (chars.length === 1 && runs.length > 1)) out.push(chars[chars.length - 1] + RUN_END);
    } else out.push(run);
  });
  return out;
}

function fnv64(text) {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

// 10, 010, 十, 一百零八, 七〇八 → the number (core/docno.number)
function number(written) {
  if (/^[0-9]+$/.test(written)) return parseInt(written, 10);
  const chars = Array.from(written), unit = RULES.units, digits = RULES.digits;
  if (!chars.some((c) => c in unit)) return parseInt(chars.map((c) => digits[c]).join(""), 10);
  let total = 0, digit = 0;
  for (const c of chars) {
    if (c in unit) { total += (digit || 1) * unit[c]; digit = 0; } else digit = digits[c];
  }
  return total + digit;
}

// The key of a 发文字号 (津政办函〔2018〕10) or a 令号 (云溪市人民政府令10), as core/docno.doc_no_key.
export function docNoKey(query) {
  const text = normalise(query).trim();
  let m = text.match(DOC_NO);
  if (m) return `${m[1]}〔${m[2]}〕${m[3]}`;
  m = text.match(ORDER_NO);
  return m ? `${m[1]}令${number(m[2])}` : "";
}

// The shards in manifest order (newest first). A portal's manifest names each shard's member
// site (relative to the portal or absolute), the member filter it is merged with, and the
// members whose shards could not be merged (left_out: {member, why}).
let listing = null;
function shards() {
  listing ??= fetch(new URL(ROUTES.search_manifest, ROOT)).then((r) => r.json()).then((m) => ({
    years: m.years,
    base: m.base || {},   // the portal's base index: its cache tag
    leftOut: m.left_out || [],
    shards: m.shards.map((s) => s.site === undefined
      ? { ...s, url: new URL(`${s.id}/`, BUNDLE).href, options: {} }
      : { ...s, url: new URL(`${s.site}${ROUTES.pagefind}${s.id}/`, ROOT).href,
          options: { baseUrl: new URL(s.site, ROOT).href, mergeFilter: s.filter } }),
  }));
  return listing;
}

// One Pagefind instance per shard, in this page's thread (no worker script to fetch first),
// always of this site's own runtime (pagefind/pagefind.js): a page runs no other site's script.
// A site's shard is the instance's own index; every shard's entry file names the one
// WebAssembly file in pagefind/ (search/index.py), so after the first shard it comes from the
// browser's cache. A portal member's shard is data merged (mergeIndex) into an instance of the
// portal's own empty index (pagefind/base/), whose WebAssembly is the portal's: the member's
// runtime and WebAssembly are never fetched. Asked with its member filter (plan), the shard
// answers alone: the base index's one page has no word a query asks and no member's name
// (search/index.py BASE_RECORD).
const RUNTIME = new URL(ROUTES.search_runtime, ROOT).href, BASE = new URL(ROUTES.search_base, ROOT).href;
let runtime = null, warm = null;   // warm: the first instance, which the others wait for
const instances = new Map();
function instance(shard, base) {
  if (!instances.has(shard.url)) instances.set(shard.url, (async () => {
    const first = !warm;
    if (!first) await warm.catch(() => {});
    runtime ??= import(RUNTIME);
    const api = await runtime;
    const merged = shard.site !== undefined;
    // Pagefind takes its language from <html lang> when an instance is created, and for
    // zh it re-segments the query with Intl.Segmenter, which would join our characters into its words.
    // The index is language "und"; lang is zh-CN again before anything can render.
    const html = document.documentElement, lang = html.getAttribute("lang");
    html.setAttribute("lang", "und");
    let pf;
    try {
      const own = merged ? base : shard;
      pf = api.createInstance({ basePath: merged ? BASE : shard.url, excerptLength: 0, noWorker: true,
        ...(own.tag ? { metaCacheTag: own.tag } : {}) });
    } finally { html.setAttribute("lang", lang); }
    // Pagefind reads the entry file, then the meta file it names: the manifest names it too,
    // so both are asked for at once (Pagefind's own request takes the preloaded answer).
    if (shard.meta) preload(new URL(shard.meta, shard.url).href);
    await pf.init();
    if (merged) {
      // The base index ready first: mergeIndex waits for its WebAssembly without end, where
      // a search throws if the base could not be loaded.
      await pf.search("");
      // A member shard that cannot be read (its server down) fails here: the instance is not used.
      await pf.mergeIndex(shard.url, { language: "und", ...shard.options, ...(shard.tag ? { metaCacheTag: shard.tag } : {}) });
    }
    // Every instance shares the runtime's one WebAssembly module, and init() resolves before
    // the first has finished loading it: another instance starting then loads a second copy,
    // the first index is left pointing into the lost one (a wasm "unreachable" trap, and a
    // whole portal member gone from the results). An empty query waits until the index is
    // ready and fetches nothing.
    if (first) await pf.search("");
    return pf;
  })());
  warm ??= instances.get(shard.url);
  return instances.get(shard.url);
}

// What the first shard a search opens needs, asked for at once when the search starts.
// Pagefind reads the entry file, then the meta file it names, then the index chunks of the
// query's words that the meta file names, each after the one before, and the chunks only
// once the WebAssembly has come too. The manifest names the meta file and the newest shard's
// chunks (search/index.py); the entry file is asked for as Pagefind asks for it, with the
// cache tag. The two small files go first: a browser opens few connections to one server,
// and the search waits for them. A word's chunk is the one Pagefind picks (request_indexes):
// the first whose range holds the word, in UTF-8 byte order. A portal member's shard is
// merged into the portal's base index (instance), which asks for its own files.
const utf8 = new TextEncoder();
function byteOrder(a, b) {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
function preloadFirst(shard, asked) {
  if (shard.site !== undefined) return;
  if (shard.tag) preload(new URL(`pagefind-entry.json?ts=${shard.tag}`, shard.url).href);
  if (shard.meta) preload(new URL(shard.meta, shard.url).href);
  const words = [...asked.keys, ...asked.parts.flat()].filter(Boolean).flatMap((term) => term.replaceAll('"', "").split(" "));
  for (const word of new Set(words)) {
    const chunk = (shard.chunks || []).find(([from, to]) => byteOrder(from, word) <= 0 && byteOrder(word, to) <= 0);
    if (chunk) preload(new URL(`index/${chunk[2]}.pf_index`, shard.url).href);
  }
}

// A file is asked for ahead once a page: Pagefind keeps what it has read.
const preloaded = new Set();
function preload(href) {
  if (preloaded.has(href)) return;
  preloaded.add(href);
  document.head.append(Object.assign(document.createElement("link"), { rel: "preload", as: "fetch", crossOrigin: "anonymous", href }));
}

const values = (filter) => (filter == null ? [] : [].concat(filter.any || filter));

// A query never opens a shard that cannot hold a match: one of other years, or of another
// member of a portal. A shard wholly inside the wanted years needs no year filter (and so
// downloads no filter file for it). A portal member's shard is always asked with its own
// member filter, which Pagefind holds in memory (mergeFilter): so the portal's base index,
// merged with it in one instance, never answers.
function plan(shard, filters) {
  const years = values(filters.year);
  if (years.length && shard.years && !shard.years.some((y) => years.includes(y))) return null;
  for (const [key, value] of Object.entries(shard.filter || {})) {
    if (filters[key] != null && !values(filters[key]).includes(value)) return null;
  }
  const { year, ...rest } = filters;
  const whole = years.length && shard.years && shard.years.every((y) => years.includes(y));
  return { ...(whole ? rest : filters), ...shard.filter };
}

// What one shard answers for one term, as lists that merge across shards by `at`: by
// relevance one list, merged by score; by date, one list per shard when the manifest gives
// its dates (shards of one site never overlap in time, so newest shard first is date order),
// else one list per year merged by Pagefind's score, which in a sorted search is the rank.
// Pagefind names a page by a 7-hex-digit hash, unique within one index only: across shards
// (a portal's 60,000 pages hold a few such pairs) a result is its shard's URL with its id.
async function answer(pf, shard, term, filters, sort, years) {
  const keyed = (r) => r.results.map((x) => Object.assign(x, { key: shard.url + x.id }));
  if (sort !== "date") return [{ at: "", results: keyed(await pf.search(term, { filters })) }];
  const sorted = (f) => pf.search(term, { filters: f, sort: { date: "desc" } }).then(keyed);
  if (shard.last !== undefined) return [{ at: shard.last, results: await sorted(filters) }];
  const wanted = values(filters.year).length ? values(filters.year) : years;
  return Promise.all(years.filter((y) => wanted.includes(y)).map(async (year) =>
    ({ at: year, results: await sorted({ ...filters, year }) })));
}

function merge(answers) {
  const by = new Map();
  for (const lists of answers) for (const { at, results } of lists) by.set(at, [...(by.get(at) || []), results]);
  return [...by.keys()].sort().reverse().flatMap((at) => {
    const lists = by.get(at);
    return lists.length === 1 ? lists[0] : lists.flat().sort((a, b) => b.score - a.score);
  });
}

// Pagefind matches a quoted phrase word for word, exactly; unquoted words match as prefixes.
// A lone Han character stays unquoted: the prefix of its run-end word too, so every item
// holding it is found. A phrase ending in a one-character run (2018年) may be followed by more
// Han text (2018年度), which its run-end word excludes: the phrase without it follows as a
// looser tier (年 starting a run), so every item containing the query is found.
function phrases(words) {
  const last = words[words.length - 1];
  if (words.length === 1) return [HAN_RUN.test(last) && Array.from(last).length === 1 ? last : `"${last}"`];
  const out = [`"${words.join(" ")}"`];
  if (last.endsWith(RUN_END) && HAN_RUN.test(last.slice(0, -RUN_END.length))) out.push(`"${words.slice(0, -1).join(" ")}"`);
  return out;
}

const dedup = (lists) => {
  const seen = new Set(), out = [];
  for (const list of lists) for (const r of list) if (!seen.has(r.key)) { seen.add(r.key); out.push(r); }
  return out;
};

// The terms to ask, by tier: exact 发文字号 / 令号 / 索引号 key words, then each part of the
// query typed apart (营商 环境) as its phrases. An empty query (filters only) lists everything.
function terms(query) {
  if (!query) return { keys: [], parts: [[null]] };
  const compact = normalise(query).replace(/\s+/g, "");
  const keys = [];
  const docNo = docNoKey(compact);
  if (docNo) keys.push(KEY.own + fnv64(docNo), KEY.cited + fnv64(docNo));
  if (INDEX_NO.test(compact)) keys.push(KEY.index + fnv64(compact));
  return { keys, parts: normalise(query).split(/\s+/).map(queryWords).filter((w) => w.length).map(phrases) };
}

// Everything one shard answers for the query's terms; a shard that cannot be read (a
// member site that is down) answers nothing, is named in the answer's `unread`, and leaves
// the others searchable.
async function ask(shard, asked, options, { years, base }) {
  const filters = plan(shard, options.filters);
  try {
    const pf = await instance(shard, base);
    const one = (term) => answer(pf, shard, term, filters, options.sort, years);
    return {
      keys: await Promise.all(asked.keys.map(one)),
      parts: await Promise.all(asked.parts.map((list) => Promise.all(list.map(one)))),
    };
  } catch (err) {
    console.warn("搜索分片无法加载", shard.url, err);
    return { unread: true, keys: asked.keys.map(() => []), parts: asked.parts.map((list) => list.map(() => [])) };
  }
}

// The results, best first, from the shards that have answered: the key tiers, then the
// text, where every part typed apart must occur.
function rank(asked, answered) {
  const keyed = asked.keys.map((_, k) => merge(answered.map((a) => a.keys[k])));
  const text = asked.parts.map((list, p) => dedup(list.map((_, t) => merge(answered.map((a) => a.parts[p][t])))));
  if (!text.length) return dedup(keyed);
  const every = text.slice(1).map((list) => new Set(list.map((r) => r.key)));
  return dedup([...keyed, text[0].filter((r) => every.every((keys) => keys.has(r.key)))]);
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
 * search(query, {filters, sort: "relevance" | "date", limit, offset, onUpdate}) →
 *   {count, results: [{url, title, publisher, date, doc_no, status, index_no, ahead, excerpt}], done: true,
 *    unread: [{id, member}] the shards that could not be read (member: on a portal), whose matches it lacks,
 *    left_out: [{member, why}] a portal's members (of those the filters ask for) whose shards it cannot merge}
 * filters: {category, topic, publisher, year, status, doc_type, and on a portal member} → a value or a list of values.
 * An empty query with filters lists every matching document. With onUpdate, the results of
 * the leading shards come first as onUpdate({count, results, done: false}) (the count so far):
 * the newest shard's, before the older shards are opened, or, when it has none, those of the
 * newest shards up to the first with a match; the promise gives the whole answer. With
 * onProgress, until something is drawn, each shard that answers while others are still being
 * asked gives onProgress({answered, of, after}): how many of the `of` shards have answered, and
 * the date after which every document has been read ("" while the newest is still out, or where
 * a shard still out gives no dates): a rare phrase reads every shard, half a minute on a slow phone.
 */
/**
 * @param {string} query
 * @param {{filters?: Record<string, any>, sort?: string, limit?: number, offset?: number, onUpdate?: (found: any) => void,
 *          onProgress?: (p: {answered: number, of: number, after: string}) => void}} [options]
 */
export async function search(query, { filters = {}, sort = "relevance", limit = 10, offset = 0, onUpdate, onProgress } = {}) {
  const listed = await shards(), all = listed.shards;
  const options = { filters: cleanFilters(filters), sort };
  const q = (query || "").trim();
  const asked = terms(q);
  const open = all.filter((s) => plan(s, options.filters) !== null);
  const members = values(options.filters.member);
  const leftOut = listed.leftOut.filter((l) => !members.length || members.includes(l.member));
  // The page of results; with `early`, each longer run of leading rows whose fragments have
  // come (a browser fetches a few at a time) is given to it before the whole page is.
  const page = async (answered, done, early) => {
    const ranked = rank(asked, answered);
    const unread = open.filter((_, n) => answered[n]?.unread).map((s) => ({ id: s.id, member: s.filter?.member }));
    const rows = [];
    const made = (n) => ({ count: ranked.length, results: rows.slice(0, n), done, unread, left_out: leftOut });
    const shown = ranked.slice(offset, offset + limit);
    let ready = 0;   // rows[0..ready) have come
    await Promise.all(shown.map((r, n) => r.data().then((d) => {
      rows[n] = row(d, q);
      if (n !== ready) return;
      while (ready < shown.length && rows[ready] !== undefined) ready++;
      if (early && ready < shown.length) early(made(ready));
    })));
    return made(shown.length);
  };
  if (!open.length) return { count: 0, results: [], done: true, unread: [], left_out: leftOut };
  preloadFirst(open[0], asked);
  // The newest shard is asked alone first, then the others at once. Once the leading shards
  // have all answered and one of them has a match (the newest, or the next when the newest
  // has none), their rows are drawn ahead of the whole answer, once.
  const answers = [];
  let early = null;
  const drawEarly = () => {
    let lead = 0;
    while (lead < open.length && answers[lead]) lead++;
    if (!onUpdate || early || lead === open.length || !rank(asked, answers.slice(0, lead)).length) return;
    early = page(answers.slice(0, lead), false, onUpdate).then(onUpdate);
  };
  // Everything published after the newest date of the shards still out has been read: by
  // dates, not by manifest order, which on a portal runs member by member.
  const newest = open.map((s) => s.last || "").sort().pop();
  const progress = () => {
    const answered = answers.filter(Boolean).length;
    if (!onProgress || early || answered === open.length) return;
    const out = open.filter((_, n) => !answers[n]);
    const after = out.every((s) => s.last) ? out.map((s) => s.last).sort().pop() : "";
    onProgress({ answered, of: open.length, after: after === newest ? "" : after });
  };
  if (onUpdate && open.length > 1) {
    answers[0] = await ask(open[0], asked, options, listed);
    drawEarly();
    progress();
    await early;
  }
  await Promise.all(open.map(async (shard, n) => {
    if (answers[n]) return;
    answers[n] = await ask(shard, asked, options, listed);
    drawEarly();
    progress();
  }));
  await early;   // its rows are drawn before the whole answer replaces them
  return page(answers, true);
}

const row = (d, q) => ({
  url: sameOrigin(new URL(d.url, location.href)), title: d.meta.title, publisher: d.meta.publisher, date: d.meta.date,
  doc_no: d.meta.doc_no || "", status: d.meta.status, index_no: d.meta.index_no,
  validity: !d.meta.no_validity,   // Item.states_validity: 规章, 规范性文件, items that state it
  ahead: d.meta.ahead ? d.meta.ahead.split(" ") : [],   // status changes after the build (lifecycle.js)
  excerpt: q ? excerpt(d.content, q) : [],
});

const sameOrigin = (url) => (url.origin === location.origin ? url.pathname : url.href);

function cleanFilters(filters) {
  const out = {};
  for (const [k, v] of Object.entries(filters)) {
    const values = (Array.isArray(v) ? v : [v]).filter((x) => x !== "" && x != null);
    if (values.length) out[k] = values.length === 1 ? values[0] : { any: values };
  }
  return out;
}

const w = /** @type {any} */ (window);
w.xxgk = Object.assign(w.xxgk || {}, { search, queryWords, docNoKey });
