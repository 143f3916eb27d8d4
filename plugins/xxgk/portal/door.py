"""The portal's search door (`xxgk portal-serve`): a small read-only service between readers
and OpenSearch. Browsers never reach the engine's API: they reach this one endpoint, which
takes what `window.xxgk.search` takes (query.py checks it), asks the engine one search and
answers in the search page's shape.

    GET  /search?query=…&member=…&year=…&sort=date&limit=10&offset=0   (a filter repeated: any of)
    POST /search  {"query": …, "filters": {…}, "sort": …, "limit": …, "offset": …}

Every refusal is JSON {"error": "<中文说明>"} with its status: 400 bad input, 404/405 anything
but this endpoint, 413 a body over MAX_BODY, 429 over the per-client rate, 503 the engine does
not answer; never a stack trace."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from xxgk.portal import engine, query

MAX_BODY = 128 * 1024  # a POST with 在某日有效's 5,000 索引号 fits
ENGINE_WAIT = 4  # seconds per engine request: the page gives up on the door after 5 (door.js)
log = logging.getLogger("xxgk.door")


class EngineDown(Exception):
    """The engine did not answer (refused, timed out, no such index, cluster red)."""


Search = Callable[[dict], Awaitable[dict]]  # an OpenSearch request body → its response


@dataclass
class Rate:
    """A token bucket per client address: `per_second` on average, up to `burst` at once.
    nginx's limit_req is the first line (docs/portal.md); this one holds without it."""

    per_second: float = 5
    burst: int = 20
    clients: int = 100_000  # addresses remembered; past that, the full buckets are forgotten

    def __post_init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        tokens, then = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.per_second)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.per_second
        if len(self._buckets) >= self.clients:
            self._forget(now)
        self._buckets[client] = (tokens - 1, now)
        return 0

    def _forget(self, now: float) -> None:
        full = [c for c, (t, then) in self._buckets.items() if t + (now - then) * self.per_second >= self.burst]
        for c in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[c]


def opensearch(settings: engine.Settings) -> Search:
    """The engine's search on the alias readers query (engine.py's settings: every node of the
    cluster, so a node that is down leaves the others answering). Any failure is EngineDown:
    the reader's input never reaches the engine unchecked, so even an engine 400 is ours, logged."""
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import OpenSearchException
    from starlette.concurrency import run_in_threadpool

    client = OpenSearch(
        list(settings.hosts),
        timeout=min(settings.timeout, ENGINE_WAIT),
        max_retries=len(settings.hosts),  # each node once before the reader hears 503
        retry_on_timeout=True,
    )

    async def search(body: dict) -> dict:
        try:
            return await run_in_threadpool(client.search, index=settings.alias, body=body)
        except OpenSearchException as exc:
            raise EngineDown(f"{'、'.join(settings.hosts)} {settings.alias}：{exc!r}"[:2000]) from None

    return search


def refuse(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": message}, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})}
    )


def _from_query_string(request: Request) -> dict:
    params = request.query_params
    raw: dict = {"filters": {}}
    for key in params:
        values = params.getlist(key)
        if key in ("query", "sort", "limit", "offset"):
            if len(values) > 1:
                raise query.BadAsk(f"参数 {key} 只能给一次")
            raw[key] = values[0]
        elif key in query.FILTERS:
            raw["filters"][key] = values
        else:
            raise query.BadAsk(
                f"不认识的参数“{key[:20]}”；可用 query、sort、limit、offset 和筛选项 {'、'.join(query.FILTERS)}"
            )
    return raw


async def _from_body(request: Request) -> dict:
    size = 0
    chunks = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPException(413)
        chunks.append(chunk)
    try:
        raw = json.loads(b"".join(chunks) or b"{}")
    except (ValueError, RecursionError):
        raise query.BadAsk(
            '请求内容应为 JSON：{"query": …, "filters": {…}, "sort": …, "limit": …, "offset": …}'
        ) from None
    if not isinstance(raw, dict):
        raise query.BadAsk('请求内容应为 JSON 对象：{"query": …, "filters": {…}}')
    return raw


def app(search: Search, limits: query.Limits | None = None, rate: Rate | None = None) -> Starlette:
    limits = limits or query.Limits()
    rate = rate or Rate()

    async def endpoint(request: Request) -> JSONResponse:
        client = request.client.host if request.client else "-"
        wait = rate.take(client)
        if wait:
            return refuse(429, "检索过于频繁，请稍后再试", {"Retry-After": str(max(1, round(wait)))})
        try:
            raw = _from_query_string(request) if request.method == "GET" else await _from_body(request)
            asked = query.ask(raw, limits)
        except query.BadAsk as exc:
            return refuse(400, str(exc))
        try:
            response = await search(query.body(asked))
        except EngineDown as exc:
            log.warning("检索服务无法访问：%s", exc)
            return refuse(503, "检索服务暂时无法访问，请稍后再试")
        return JSONResponse(query.answer(asked, response), headers={"Cache-Control": "no-store"})

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        messages = {
            404: "没有这个地址：检索服务只有 /search",
            405: "检索服务只接受 GET 和 POST",
            413: f"请求内容不能超过 {MAX_BODY // 1024} KB",
        }
        headers = {"Allow": "GET, POST"} if exc.status_code == 405 else None
        return refuse(exc.status_code, messages.get(exc.status_code, "请求无法处理"), headers)

    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("检索服务内部错误")  # the trace goes to the service's log, never to the reader
        return refuse(500, "检索服务出错，请稍后再试")

    return Starlette(
        routes=[Route("/search", endpoint, methods=["GET", "POST"])],
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
