"""What a reader may ask the portal's search door, as one OpenSearch request, and the engine's
answer in the shape `window.xxgk.search` gives the search page (search.js): {count, results,
done, unread}, plus `facets`, the counts of every filter's values from the same engine.

Pure data: no HTTP, no client. `door.py` serves it; the index it asks is `engine.py`'s."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.core.docno import HAN, doc_no_key, normalise
from xxgk.portal import engine
from xxgk.search.text import WORD, index_no_key

# The filters search-page.js sends (search.js's `filters`), each a keyword field of the index.
FILTERS = ("member", "category", "topic", "publisher", "year", "status", "doc_type", "policy")
# Those whose values the search page offers in a drop-down: their counts come back as `facets`.
FACETS = ("member", "category", "year", "status", "doc_type")
SORTS = ("relevance", "date")
FACET_COUNTS = "values"  # a facet's terms aggregation inside its filter aggregation (body, answer)

# The filter the search page sends → the index's field (engine.py): 成员单位 by its name, as the
# static portal's mergeFilter {member: name}.
FILTER_FIELDS = {k: k for k in FILTERS} | {"member": "member_name"}
SHOWN = ("url", "title", "publisher", "date", "doc_no", "status", "index_no", "validity", "ahead", "excerpt")
SEARCHED = ("text", "more")  # a part of the query may be in either, as in the static search's words
BEFORE, LENGTH = 20, 100  # search.js excerpt(): characters before the first match, and in all
_BETWEEN = f"[^{HAN}0-9a-z]*"
_HAN_RUN = re.compile(f"[{HAN}]{{2,}}")


class BadAsk(ValueError):
    """A request the door refuses (HTTP 400); the message is for the reader, in Chinese."""


@dataclass(frozen=True)
class Limits:
    query_chars: int = 100  # a 文号 or a sentence; longer is not a search
    page_size: int = 50
    window: int = 10_000  # offset + page size: OpenSearch's index.max_result_window
    values: int = 50  # values of one filter (policy: 在某日有效's list of 索引号, up to `policies`)
    policies: int = 5_000
    value_chars: int = 200


@dataclass(frozen=True)
class Ask:
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    limit: int = 10
    offset: int = 0


def _int(raw, name: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not str(raw).strip().isdigit():
        raise BadAsk(f"{name} 应为 {low} 到 {high} 之间的整数（收到“{str(raw)[:20]}”）")
    value = int(raw)
    if not low <= value <= high:
        raise BadAsk(f"{name} 应为 {low} 到 {high} 之间的整数（收到 {value}）")
    return value


def ask(raw: dict, limits: Limits) -> Ask:
    """The reader's request, checked: {query, filters: {key: value or [values]}, sort, limit,
    offset}, as search.js's search(query, {filters, sort, limit, offset}) takes them."""
    unknown = sorted(set(raw) - {"query", "filters", "sort", "limit", "offset"})
    if unknown:
        raise BadAsk(f"不认识的参数：{'、'.join(unknown)}；可用 query、filters、sort、limit、offset")
    query = raw.get("query") or ""
    if not isinstance(query, str):
        raise BadAsk("query 应为文字")
    query = query.strip()
    if len(query) > limits.query_chars:
        raise BadAsk(f"检索词不能超过 {limits.query_chars} 个字（收到 {len(query)} 个），请缩短后再试")
    sort = raw.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadAsk(f"sort 应为 relevance（按相关度）或 date（按发布日期）（收到“{str(sort)[:20]}”）")
    limit = _int(raw.get("limit", 10), "limit（每页条数）", 0, limits.page_size)
    offset = _int(raw.get("offset", 0), "offset（起始位置）", 0, limits.window)
    if offset + limit > limits.window:
        raise BadAsk(f"只能翻到前 {limits.window} 条结果，请增加检索词或筛选条件缩小范围")
    filters = raw.get("filters") or {}
    if not isinstance(filters, dict):
        raise BadAsk("filters 应为 {筛选项: 值或值的列表}")
    checked: dict[str, list[str]] = {}
    for key, value in filters.items():
        if key not in FILTERS:
            raise BadAsk(f"不认识的筛选项“{str(key)[:20]}”；可用 {'、'.join(FILTERS)}")
        values = value if isinstance(value, list) else [value]
        most = limits.policies if key == "policy" else limits.values
        if len(values) > most:
            raise BadAsk(f"筛选项 {key} 最多 {most} 个值（收到 {len(values)} 个）")
        if not all(isinstance(v, str) and len(v) <= limits.value_chars for v in values):
            raise BadAsk(f"筛选项 {key} 的值应为不超过 {limits.value_chars} 个字的文字")
        if values := [v for v in values if v]:
            checked[key] = values
    return Ask(query, checked, sort, limit, offset)


def _text_terms(query: str) -> list[dict]:
    """Every part typed apart (营商 环境) must occur as a phrase, as in search.js's rank. A part
    that is one run of Han characters is asked of the bigram texts (fast: few, rare tokens);
    any other part (年, 2024年, 2.5万元, 营商，环境) of the texts as the static search's words
    (engine.py `.chars`), which split digits, letters and runs exactly as search/text.py does:
    the bigrams hold no 年 inside 年度, and the standard tokenizer keeps 2.5 whole."""
    out: list[dict] = []
    for part in normalise(query).split():
        fields = SEARCHED if _HAN_RUN.fullmatch(part) else tuple(f"{f}.{engine.CHARS_FIELD}" for f in SEARCHED)
        out.append({"multi_match": {"query": part, "type": "phrase", "fields": list(fields)}})
    return out


def _key_terms(query: str) -> list[dict]:
    """Exact 发文字号 / 令号 / 索引号: the key fields, normalised by core/docno as the indexer's."""
    compact = re.sub(r"\s+", "", normalise(query))
    keys: list[dict] = []
    if key := doc_no_key(compact):
        keys.append({"term": {"key_own": key}})
        keys.append({"term": {"key_cited": key}})
    keys.append({"term": {"key_index": index_no_key(compact)}})
    return keys


def _filter(key: str, values: list[str]) -> dict:
    return {"terms": {FILTER_FIELDS[key]: values}}


def body(a: Ask) -> dict:
    """One request: the hits of the page, the total, and every facet's counts. A facet counts
    under every filter but its own (choosing a 年份 still shows the other years' counts)."""
    if a.query:
        # key matches first (search.js's key tiers), then the text matches
        keyed = [{"constant_score": {"filter": k, "boost": 1000}} for k in _key_terms(a.query)]
        # the title's phrase ranks higher, as Pagefind weighs a heading
        titled = [{"match_phrase": {"title": {"query": p, "boost": 2}}} for p in normalise(a.query).split()]
        text = {"bool": {"must": _text_terms(a.query), "should": titled}}
        query: dict = {"bool": {"should": [*keyed, text], "minimum_should_match": 1}}
    else:
        query = {"match_all": {}}
    filters = {k: _filter(k, v) for k, v in a.filters.items()}
    aggs = {}
    for key in FACETS:
        counts = {"terms": {"field": FILTER_FIELDS[key], "size": 1000}}
        # Wrapped only when another filter applies: an empty filter aggregation still visits
        # every hit (a quarter of an unfiltered search's CPU, docs/benchmarks.md, issue 34).
        others = [f for k, f in filters.items() if k != key]
        aggs[key] = {"filter": {"bool": {"filter": others}}, "aggs": {FACET_COUNTS: counts}} if others else counts
    by_date = [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
    return {
        "query": query,
        **({"post_filter": {"bool": {"filter": list(filters.values())}}} if filters else {}),
        "aggs": aggs,
        "sort": by_date if a.sort == "date" or not a.query else ["_score", *by_date[:1]],
        "from": a.offset,
        "size": a.limit,
        "track_total_hits": True,
        "_source": {"includes": list(SHOWN)},
    }


def excerpt(text: str, query: str) -> list[dict]:
    """search.js's excerpt(), the same rule on the door's side (the browser gets 100 characters,
    not the whole text): the text around the first place a part of the query occurs as the
    index matched it (its words in order, nothing but punctuation or spaces between them),
    every such place marked, as [{text, hit}]."""
    norm = normalise(text)
    source: list[int] | range = range(len(text))  # source[i]: the character norm's i-th comes from
    if len(norm) != len(text):  # a character NFKC widens or joins (㈠, ﬁ): map character by character
        norm, source = "", []
        for i, c in enumerate(text):
            n = normalise(c)
            norm += n
            source += [i] * len(n)
    patterns = [p for p in (_BETWEEN.join(WORD.findall(part)) for part in normalise(query).split()) if p]
    found = re.finditer("|".join(patterns), norm) if patterns else ()
    hits = [(source[m.start()], source[m.end() - 1] + 1) for m in found]
    start = max(0, hits[0][0] - BEFORE) if hits else 0
    end = min(len(text), start + LENGTH)
    out: list[dict] = []

    def add(part: str, hit: bool) -> None:
        if not part:
            return
        if out and out[-1]["hit"] == hit:
            out[-1]["text"] += part
        else:
            out.append({"text": part, "hit": hit})

    if start > 0:
        add("…", False)
    at = start
    for a, b in hits:
        if b <= at or a >= end:
            continue
        add(text[at : max(at, a)], False)
        add(text[max(at, a) : min(b, end)], True)
        at = min(b, end)
    add(text[at:end], False)
    if end < len(text):
        add("…", False)
    return out


def row(doc: dict) -> dict:
    """A result as search.js's row gives it: url, title, publisher, date, doc_no, status, index_no, validity, ahead."""
    return {k: doc.get(k, "") for k in SHOWN if k != "excerpt"} | {
        "validity": bool(doc.get("validity")),
        "ahead": doc.get("ahead") or [],
    }


def answer(a: Ask, response: dict) -> dict:
    """The engine's response in the search page's shape (search.js `search`)."""
    results = []
    for hit in response["hits"]["hits"]:
        doc = hit["_source"]
        results.append(row(doc) | {"excerpt": excerpt(doc.get("excerpt", ""), a.query) if a.query else []})
    facets = {}
    for key in FACETS:
        agg = response["aggregations"][key]
        facets[key] = {b["key"]: b["doc_count"] for b in agg.get(FACET_COUNTS, agg)["buckets"]}
    return {
        "count": response["hits"]["total"]["value"],
        "results": results,
        "done": True,
        "unread": [],
        "facets": facets,
    }
