"""The portal's search engine (OpenSearch): the one place for the connection, the index
settings and mapping, and the shape of a document. The indexer (`portal/indexer.py`) writes
documents in this shape; the reader's door asks with these field names. Nothing else in
xxgk names an OpenSearch field.

An index holds every member's items, one document per item, made from the search records a
member publishes (`search/published.py`, beside xxgk-site.json). Readers query the ALIAS
(`Engine.alias`), never a concrete index: a full rebuild fills a new index
`<alias>-<yyyymmddhhmmss>` and the alias moves to it in one request, so no reader ever sees
an empty or half-built index.

## The document (one per item of one member)

`_id` is `<member path>/<索引号>` (`doc_id`): a member's item has one document however often it
is indexed, so re-indexing a shard overwrites in place.

Text (analyser `xxgk_han`: Unicode word breaks, full-width → ASCII, lower case, then every run
of Han characters as overlapping bigrams, a lone Han character as itself). A query of two or
more Han characters, asked as a `match_phrase`, matches exactly the items whose text contains
it, the static search's rule (search/text.py): no dictionary decides recall.
- `text`      title, summary and body, as the static search indexes them (core/docno.normalise
              applied: NFKC, lower case). Excerpts are cut from `excerpt`, not from here.
- `more`      the other front-matter texts and the publisher's name: searched, never excerpted.
- `text.chars`, `more.chars`  the same texts as the static search's words (analysers `xxgk_chars`
              and `xxgk_chars_query`: every Han character a token, letters and digits whole, a mark
              after every Han run; a query marks only the runs that end inside it). Asked for
              every part of a query that is not one run of Han characters (年, 2024年, 号10,
              2.5万元): the bigrams hold no 年 inside 年度, and `standard` keeps 2.5 whole.
- `title`     the title as written, also analysed (`xxgk_han`), for showing and boosting.
- `excerpt`   summary and body as the public reads them (stored, not indexed): cut the excerpt
              around the hit from this, as search.js does.

Exact keys (keyword; normalised by core/docno, so ask with `doc_no_key(query)` /
`index_no_key(query)` from search/text.py and core/docno.py):
- `key_own`    this item's own 发文字号 or 令号 key (`docno.doc_no_key`), absent when it has none.
- `key_cited`  every 文号/令号 key its text cites (`text.cited_doc_nos`; issuer tails included,
               as the static search's `xxgkc` key words).
- `key_index`  its 索引号 key (`text.index_no_key`).

Facets (keyword; the static search's filters, same names and values, see search/records.py;
each is a list, an item may have none):
- `category` (root of its catalog node, by name), `topic`, `publisher` (name), `year` ("2024"),
  `status` (the status label on the member's as-of day), `doc_type`, `policy` (the 索引号 of a
  policy item: 在某日有效).
- `member`       the id of the portal member it came through (this portal's `portal.members`).
- `member_path`  every level it came through, `["sz"]`, `["sz", "sz/fgw"]` for a member of a
                 member portal, `["gd", "gd/sz", "gd/sz/ft"]` a level further (portal/levels.py:
                 at most MAX_LEVELS): filter on any level with a `term`.
- `member_name`  the name the portal shows for `member` (its `name`, else the member's agency).
- `site_name`    the agency of the site that published the item (the leaf of `member_path`).

Shown and sorted (keyword unless said):
- `url`        the item's page, absolute when the member is reached at an address, else relative
               to the portal's root (the member's `url` + the item's own path): link to it as is.
- `index_no`, `doc_no` (as written), `validity` (boolean: the item states a 有效性; a 通知 does
  not), `ahead` (status changes after the member's build, lifecycle.js's encoding; not indexed).
- `date`       publication day (`date`, absent when undated): sort newest first with
               `{"date": {"order": "desc", "missing": "_last"}}`; `date_histogram` for years.

Book-keeping of the indexer (keyword): `shard` (the member's shard id), `shard_key`
(`<member path>:<shard>:<sha256 of its records file>`: a shard whose key is already in the
index is skipped), `records_format` (integer).

Counts (成员单位, 目录分类, 年份, 有效性 …) are `terms` aggregations on these fields; set `size`
above the number of values (members, years) so none is dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xxgk.core.docno import HAN_RANGES
from xxgk.search.text import LATIN_WORD

if TYPE_CHECKING:  # opensearch-py is imported when a command connects (cli/__init__.py: start-up time)
    from opensearchpy import OpenSearch

FORMAT = 2  # the mapping's version, in the index's `_meta`: a different one makes the indexer rebuild
DEFAULT_ALIAS = "xxgk-portal"
DEFAULT_HOST = "http://127.0.0.1:9200"
ANALYZER = "xxgk_han"
CHARS, CHARS_QUERY = "xxgk_chars", "xxgk_chars_query"  # the `.chars` sub-fields' analysers
CHARS_FIELD = "chars"
# search/text.py's WORD, one Han character a token, and the run-end mark as a token of its own
_JAVA_HAN = "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in HAN_RANGES)
RUN_END_MARK = "\ue000"
FACETS = ("category", "topic", "publisher", "year", "status", "doc_type", "policy")  # search/records.py filters
KEYS = ("key_own", "key_cited", "key_index")
TEXT_FIELDS = ("text", "more", "title")


class EngineError(Exception):
    """The engine cannot be reached or refused a request; the message says what to do, in Chinese."""


@dataclass
class Settings:
    """`portal.engine` of mkdocs.yml (all optional):

    engine:
      hosts: [http://127.0.0.1:9200]   # one or more nodes of the cluster
      index: xxgk-portal                # the alias readers query
      shards: 1                         # primary shards of a new index
      replicas: 0-1                     # a copy on another node when there is one
      timeout: 30                       # seconds per request
    """

    hosts: tuple[str, ...] = (DEFAULT_HOST,)
    alias: str = DEFAULT_ALIAS
    shards: int = 1
    replicas: str = "0-1"  # auto_expand_replicas: 0 on one node, 1 from two nodes on
    timeout: float = 30


def parse_settings(raw: Any, fail) -> Settings:
    """`portal.engine` → Settings; `fail(message)` raises for a bad value (portal/config.py)."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        fail("portal.engine 应为设置表：hosts、index、shards、replicas、timeout（见 docs/portal.md）")
    unknown = sorted(set(raw) - {"hosts", "index", "shards", "replicas", "timeout"})
    if unknown:
        fail(f"portal.engine 不认识的设置：{'、'.join(unknown)}；可用 hosts、index、shards、replicas、timeout")
    hosts = raw.get("hosts", [DEFAULT_HOST])
    if isinstance(hosts, str):
        hosts = [hosts]
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) and h.startswith("http") for h in hosts):
        fail("portal.engine.hosts 应为 OpenSearch 节点地址列表，如 [http://127.0.0.1:9200]")
    alias = str(raw.get("index", DEFAULT_ALIAS))
    if not alias or alias != alias.lower() or not all(c.isalnum() or c in "-_" for c in alias) or alias[0] in "-_":
        fail(f"portal.engine.index“{alias}”应为小写字母、数字、-、_ 组成的索引名")
    shards = raw.get("shards", 1)
    if isinstance(shards, bool) or not isinstance(shards, int) or shards < 1:
        fail("portal.engine.shards 应为正整数")
    replicas = str(raw.get("replicas", "0-1"))
    if not (
        replicas.isdigit() or (replicas.count("-") == 1 and all(p.isdigit() or p == "all" for p in replicas.split("-")))
    ):
        fail(f"portal.engine.replicas“{replicas}”应为副本数（如 1）或范围（如 0-1）")
    timeout = raw.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        fail("portal.engine.timeout 应为正数（秒）")
    return Settings(tuple(hosts), alias, shards, replicas, float(timeout))


def index_settings(settings: Settings) -> dict:
    """The settings of a new index: the Han analyser, shards and replicas."""
    replicas = (
        {"number_of_replicas": int(settings.replicas)}
        if settings.replicas.isdigit()
        else {"auto_expand_replicas": settings.replicas}
    )
    return {
        "number_of_shards": settings.shards,
        **replicas,
        "analysis": {
            "analyzer": {
                ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase", "cjk_bigram"],  # cjk_bigram: module analysis-common
                },
                # the static search's words (search/text.py): every Han character, every run of
                # letters or digits, and a mark after every Han run; the text comes normalised
                CHARS: {"type": "custom", "char_filter": ["xxgk_run_end"], "tokenizer": "xxgk_words"},
                # a query marks only the runs that end inside it: its last run may go on in the text
                CHARS_QUERY: {"type": "custom", "char_filter": ["xxgk_run_end_inside"], "tokenizer": "xxgk_words"},
            },
            "char_filter": {
                "xxgk_run_end": {
                    "type": "pattern_replace",
                    "pattern": f"([{_JAVA_HAN}])(?![{_JAVA_HAN}])",
                    "replacement": f"$1{RUN_END_MARK}",
                },
                "xxgk_run_end_inside": {
                    "type": "pattern_replace",
                    "pattern": f"([{_JAVA_HAN}])(?=[^{_JAVA_HAN}])",
                    "replacement": f"$1{RUN_END_MARK}",
                },
            },
            "tokenizer": {
                "xxgk_words": {"type": "pattern", "pattern": f"[{_JAVA_HAN}]|{LATIN_WORD}|{RUN_END_MARK}", "group": 0}
            },
        },
    }


_KEYWORD = {"type": "keyword"}
_HAN_TEXT = {"type": "text", "analyzer": ANALYZER}
# Searched texts also as the static search's words, for a query part that is not one Han run
# (2024年, 号10, 商): bigrams hold no 年 inside 年度, so only these find it there.
_SEARCHED_TEXT = _HAN_TEXT | {
    "fields": {CHARS_FIELD: {"type": "text", "analyzer": CHARS, "search_analyzer": CHARS_QUERY, "norms": False}}
}

MAPPING: dict = {
    "_meta": {"xxgk_engine": FORMAT},
    "dynamic": "strict",  # a field not declared here is a bug in the indexer, not a new field
    "properties": {
        "text": _SEARCHED_TEXT,
        "more": _SEARCHED_TEXT,
        "title": _HAN_TEXT,
        "excerpt": {"type": "text", "index": False},
        **dict.fromkeys(KEYS, _KEYWORD),
        **dict.fromkeys(FACETS, _KEYWORD),
        "member": _KEYWORD,
        "member_path": _KEYWORD,
        "member_name": _KEYWORD,
        "site_name": _KEYWORD,
        "url": {"type": "keyword", "index": False},
        "index_no": _KEYWORD,
        "doc_no": _KEYWORD,
        "validity": {"type": "boolean"},
        "ahead": {"type": "keyword", "index": False},
        "date": {"type": "date", "format": "strict_date"},
        "shard": _KEYWORD,
        "shard_key": _KEYWORD,
        "records_format": {"type": "integer"},
    },
}


def doc_id(member_path: str, index_no: str) -> str:
    return f"{member_path}/{index_no}"


def shard_key(member_path: str, shard: str, sha256: str) -> str:
    return f"{member_path}:{shard}:{sha256}"


def document(
    record: dict, *, member: str, path: list[str], member_name: str, site_name: str, base_url: str, shard_key: str
) -> dict:
    """A published search record (search/published.py, format 1) as the document above.
    `path` is `member_path` (levels, outermost first); `base_url` is where readers reach the
    publishing site (ends in /)."""
    filters = record["filters"]
    keys = record["keys"]
    return {
        "text": record["text"],
        "more": record["more"],
        "title": record["title"],
        "excerpt": record["excerpt"],
        **({"key_own": keys["own"]} if keys.get("own") else {}),
        "key_cited": keys["cited"],
        "key_index": keys["index"],
        **{f: filters.get(f, []) for f in FACETS},
        "member": member,
        "member_path": path,
        "member_name": member_name,
        "site_name": site_name,
        "url": base_url + record["url"],
        "index_no": record["index_no"],
        "doc_no": record["doc_no"],
        "validity": record["validity"],
        "ahead": record["ahead"],
        **({"date": record["date"]} if record["date"] else {}),
        "shard": shard_key.rsplit(":", 2)[1],
        "shard_key": shard_key,
        "records_format": 1,
    }


def connect(settings: Settings) -> OpenSearch:
    """A client for the cluster; EngineError when no node answers."""
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import OpenSearchException

    client = OpenSearch(
        list(settings.hosts),
        timeout=settings.timeout,
        max_retries=3,
        retry_on_timeout=True,  # a node killed mid-request: the request goes to another node
    )
    try:
        client.cluster.health(wait_for_status="yellow", request_timeout=settings.timeout)
    except OpenSearchException as exc:
        raise EngineError(
            f"无法连接搜索引擎 {'、'.join(settings.hosts)}（{type(exc).__name__}）："
            "请确认 OpenSearch 已启动（scripts/opensearch start）且 portal.engine.hosts 写对"
        ) from None
    return client


def new_index_name(alias: str, now: dt.datetime | None = None) -> str:
    return f"{alias}-{(now or dt.datetime.now(dt.UTC)):%Y%m%d%H%M%S%f}"


REFRESH = "1s"  # how soon a written document is searched (OpenSearch's default)


def create_index(client: OpenSearch, name: str, settings: Settings) -> None:
    """A new empty index, filled only once its replicas are in sync (green): a node lost while a
    replica is still recovering leaves no valid copy, and the index red. A replica that cannot
    be placed (one node, `replicas: 1`) is not waited for beyond a minute."""
    body = {"settings": {**index_settings(settings), "refresh_interval": "-1"}, "mappings": MAPPING}
    client.indices.create(index=name, body=body)  # no refresh while it is filled, none reads it yet
    client.cluster.health(index=name, wait_for_status="green", timeout="60s", request_timeout=90)


def current_index(client: OpenSearch, alias: str) -> str | None:
    """The concrete index the alias points to, None when there is no alias yet."""
    if not client.indices.exists_alias(name=alias):
        return None
    return next(iter(client.indices.get_alias(name=alias)))


def index_format(client: OpenSearch, index: str) -> int | None:
    meta = client.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {})
    return meta.get("xxgk_engine")


def swap_alias(client: OpenSearch, alias: str, new: str, old: str | None) -> None:
    """Move the alias to `new` in one request (readers see the old index or the new one, never
    neither), then drop the old index."""
    client.indices.put_settings(index=new, body={"index": {"refresh_interval": REFRESH}})
    client.indices.refresh(index=new)
    actions: list[dict] = [{"add": {"index": new, "alias": alias}}]
    if old:
        actions.insert(0, {"remove": {"index": old, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions})
    if old:
        client.indices.delete(index=old)
