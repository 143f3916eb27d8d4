"""Search as the public gets it on a phone (scripts/bench --search): Chromium throttled through
the DevTools protocol (1.6 Mbit/s down, 150 ms round trip), xxgk's search page against stock
Pagefind on the same items, one fresh browser profile per query (cold), then a second query
in the same page (warm). It measures, it asserts nothing.

The browser is driven over --remote-debugging-pipe with raw DevTools messages rather than
Playwright, because a page's Web Worker (where stock Pagefind fetches its index) is its own
target: auto-attach stops it before it runs, and its session gets the same throttling and
network accounting as the page. Both sites are served by one local server that compresses
text (HTML, CSS, JavaScript, JSON) as a production server would; Pagefind's own files are
compressed already.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import random
import re
import statistics
import subprocess
import threading
import time
from pathlib import Path

from xxgk_dev.devshots import CHROMIUM, CHROMIUM_ARGS

THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")
# Stock Pagefind as a site would use its JavaScript API: the page's query, ten results drawn.
STOCK_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>搜索</title></head>
<body><p id="count"></p><ol id="results"></ol><script type="module">
const pf = await import("/pagefind/pagefind.js");
window.run = async (q) => {
  const found = await pf.search(q);
  document.getElementById("count").textContent = `${found.results.length} 条`;
  const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  document.getElementById("results").replaceChildren(...data.map((d) => {
    const li = Object.assign(document.createElement("li"), { innerHTML: `<a href="${d.url}">${d.meta.title}</a><p>${d.excerpt}</p>` });
    li.dataset.q = q;
    return li;
  }));
  document.body.dataset.done = q;
};
run(new URLSearchParams(location.search).get("q"));
</script></body></html>
"""
# Marks the first visible result and the final answer of query `q` (both pages), in ms since navigation.
WATCH = """(() => { const marks = window.__marks = {};
  const look = () => {
    const q = window.__q ?? new URLSearchParams(location.search).get("q");
    const xx = document.querySelector("#xx-sstatus"), li = document.querySelector("#xx-sresults li, #results li");
    const shown = li && (xx ? xx.textContent.includes(q) : li.dataset.q === q);
    const done = xx ? xx.textContent.includes(`“${q}”共找到`) || xx.textContent.includes(`“${q}”没有找到`) : document.body?.dataset.done === q;
    if (shown && marks[q + ":first"] === undefined) { marks[q + ":first"] = performance.now(); window.xxgkMark?.(q + ":first"); }
    if (done && marks[q + ":done"] === undefined) { marks[q + ":done"] = performance.now(); window.xxgkMark?.(q + ":done"); }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_head(self):  # text compressed like a production server; everything else as stored
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not path.endswith(TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(root: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _pipe_fds(to_chrome: int, from_chrome: int) -> None:
    """In the child: Chromium reads commands on fd 3 and writes on fd 4."""
    a, b = os.dup(to_chrome), os.dup(from_chrome)
    os.dup2(a, 3)
    os.dup2(b, 4)


class Browser:
    """Chromium over --remote-debugging-pipe: send() waits for the answer; events are kept."""

    def __init__(self):
        to_chrome, self._write = os.pipe()
        self._read, from_chrome = os.pipe()
        self.proc = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_ARGS, "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4, to_chrome, from_chrome),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=functools.partial(_pipe_fds, to_chrome, from_chrome),
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._id, self._answers, self.events = 0, {}, []
        self._lock = threading.Condition()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self):
        buffer = b""
        while chunk := os.read(self._read, 1 << 16):
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._answers[message["id"]] = message
                    else:
                        self.events.append((time.monotonic(), message))
                    self._lock.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 120):
        with self._lock:
            self._id += 1
            n = self._id
        message = {"id": n, "method": method, "params": params or {}, **({"sessionId": session} if session else {})}
        os.write(self._write, json.dumps(message).encode() + b"\0")
        with self._lock:
            if not self._lock.wait_for(lambda: n in self._answers, timeout):
                raise TimeoutError(method)
            answer = self._answers.pop(n)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        self.proc.wait(timeout=30)


class Tab:
    """A fresh browser profile with one throttled page; its workers throttled and counted too."""

    def __init__(self, browser: Browser):
        self.b = browser
        self.context = browser.send("Target.createBrowserContext")["browserContextId"]
        target = browser.send("Target.createTarget", {"url": "about:blank", "browserContextId": self.context})
        self.session = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})[
            "sessionId"
        ]
        self.sessions = {self.session}
        self.seen = len(browser.events)
        for method, params in (
            ("Network.enable", {}),
            ("Network.emulateNetworkConditions", THROTTLE),
            ("Page.enable", {}),
            ("Runtime.enable", {}),
            ("Runtime.addBinding", {"name": "xxgkMark"}),
            ("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH}),
            ("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}),
        ):
            browser.send(method, params, self.session)

    def _events(self):
        with self.b._lock:
            new = self.b.events[self.seen :]
            self.seen = len(self.b.events)
        for _, event in new:
            if event.get("method") == "Target.attachedToTarget" and event.get("sessionId") in self.sessions:
                worker = event["params"]["sessionId"]
                self.sessions.add(worker)
                for method, params in (("Network.enable", {}), ("Network.emulateNetworkConditions", THROTTLE)):
                    try:
                        self.b.send(method, params, worker)
                    except RuntimeError as exc:  # noted, not fatal: the worker's requests are still counted
                        print(f"searchbench: {exc}")
                self.b.send("Runtime.runIfWaitingForDebugger", {}, worker)
        return new

    def run(self, url: str | None, query: str, start=None, timeout: float = 60) -> dict:
        """Navigate to `url` (or start the query in the page with `start`) and wait for its end:
        ms to the first result and to the full answer, bytes until each, requests (worker's apart)."""
        bytes_at, total, requests, worker_requests, first_bytes = {}, 0, 0, 0, None
        self._events()
        if url:
            self.b.send("Page.navigate", {"url": url}, self.session)
        else:
            self.b.send("Runtime.evaluate", {"expression": start, "awaitPromise": False}, self.session)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for _, event in self._events():
                method, session = event.get("method"), event.get("sessionId")
                if session not in self.sessions:
                    continue
                if method == "Network.loadingFinished":
                    total += event["params"]["encodedDataLength"]
                elif method == "Network.requestWillBeSent":
                    requests += 1
                    worker_requests += session != self.session
                elif method == "Runtime.bindingCalled" and event["params"]["payload"].startswith(query + ":"):
                    kind = event["params"]["payload"].rsplit(":", 1)[1]
                    bytes_at[kind] = total
                    if kind == "first":
                        first_bytes = total
            if "done" in bytes_at:
                marks = self.b.send(
                    "Runtime.evaluate",
                    {"expression": "JSON.stringify(window.__marks)", "returnByValue": True},
                    self.session,
                )
                marks = json.loads(marks["result"]["value"])
                began = marks.get(query + ":start", 0)  # a query started in the page, not by navigating
                return {
                    "first_ms": round(marks.get(query + ":first", marks[query + ":done"]) - began),
                    "done_ms": round(marks[query + ":done"] - began),
                    "first_kb": round((first_bytes if first_bytes is not None else bytes_at["done"]) / 1024, 1),
                    "done_kb": round(bytes_at["done"] / 1024, 1),
                    "requests": requests,
                    "worker_requests": worker_requests,
                }
            time.sleep(0.02)
        raise TimeoutError(f"{query}: no answer in {timeout} s")

    def close(self):
        self.b.send("Target.disposeBrowserContext", {"browserContextId": self.context})


def phrases(site: Path, n: int, seed: int = 7) -> list[str]:
    """n random 2-6 character Han phrases from the synthetic items' bodies."""
    rng = random.Random(seed)
    files = sorted((site / "content" / "items").rglob("*.md"))
    out: list[str] = []
    while len(out) < n:
        runs = re.findall(r"[\u4e00-\u9fff]{4,}", rng.choice(files).read_text(encoding="utf-8").split("---", 2)[-1])
        if runs:
            run = rng.choice(runs)
            size = rng.randint(2, min(6, len(run)))
            at = rng.randint(0, len(run) - size)
            if run[at : at + size] not in out:
                out.append(run[at : at + size])
    return out


def _begin(q: str) -> str:
    return f"window.__q = {json.dumps(q)}; window.__marks[window.__q + ':start'] = performance.now();"


def _xxgk_start(q: str) -> str:
    return (
        _begin(q)
        + "document.getElementById('xx-sq').value = window.__q; document.getElementById('xx-sform').requestSubmit();"
    )


def _stock_start(q: str) -> str:
    return _begin(q) + "window.run(window.__q);"


def measure(xxgk_site: Path, stock_site: Path, queries: list[str]) -> dict:
    """Cold and warm runs of every query on both sites, and their medians and p90s."""
    (stock_site / "xxgk-search.html").write_text(STOCK_PAGE, encoding="utf-8")
    servers = {"xxgk": serve(xxgk_site), "stock": serve(stock_site)}
    urls = {
        "xxgk": f"http://127.0.0.1:{servers['xxgk'].server_address[1]}/search/?q=",
        "stock": f"http://127.0.0.1:{servers['stock'].server_address[1]}/xxgk-search.html?q=",
    }
    starts = {"xxgk": _xxgk_start, "stock": _stock_start}
    browser = Browser()
    runs: dict[str, list] = {"xxgk": [], "stock": []}
    try:
        for n, q in enumerate(queries):
            warm_q = queries[(n + 1) % len(queries)]
            for name in ("xxgk", "stock"):
                tab = Tab(browser)
                try:
                    cold = tab.run(urls[name] + q, q)
                    warm = tab.run(None, warm_q, start=starts[name](warm_q))
                    runs[name].append({"query": q, "cold": cold, "warm": warm})
                except TimeoutError as exc:  # noted and left out of the figures
                    runs[name].append({"query": q, "timeout": str(exc)})
                finally:
                    tab.close()
                print(f"searchbench: {name} {q} {runs[name][-1]}", flush=True)
    finally:
        browser.close()
        for server in servers.values():
            server.shutdown()
    return {"queries": queries, "throttle": THROTTLE, "runs": runs, "summary": summarise(runs)}


def summarise(runs: dict[str, list]) -> dict:
    def stats(values):
        values = sorted(values)
        return {"median": statistics.median(values), "p90": values[min(len(values) - 1, int(0.9 * len(values)))]}

    out = {}
    for name, rows in runs.items():
        out[name] = {
            f"{phase}_{key}": stats([r[phase][key] for r in rows if "timeout" not in r])
            for phase in ("cold", "warm")
            for key in ("first_ms", "done_ms", "first_kb", "done_kb", "requests", "worker_requests")
        }
        out[name]["timeouts"] = sum("timeout" in r for r in rows)
    return out


def table(result: dict) -> str:
    lines = [
        f"{'':8} {'首个结果 ms':>12} {'完整 ms':>10} {'首个结果前 KB':>14} {'总 KB':>9} {'请求':>6} {'Worker 请求':>11}"
    ]
    for name, s in result["summary"].items():
        if s["timeouts"]:
            lines.append(f"{name}: {s['timeouts']} 个检索词 60 秒内未完成，未计入")
        for phase in ("cold", "warm"):
            row = [s[f"{phase}_{k}"]["median"] for k in ("first_ms", "done_ms", "first_kb", "done_kb")]
            req, worker = s[f"{phase}_requests"]["median"], s[f"{phase}_worker_requests"]["median"]
            lines.append(
                f"{name + ' ' + phase:14} {row[0]:>8.0f} {row[1]:>10.0f} {row[2]:>14.1f} {row[3]:>9.1f}"
                f" {req:>6.0f} {worker:>11.0f}"
            )
    return "（中位数）\n" + "\n".join(lines)
