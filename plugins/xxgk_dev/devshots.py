"""Screenshots of a built site in headless Chromium (Debian's), at phone and desktop widths."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}


def serve(
    directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] | None = None
) -> http.server.ThreadingHTTPServer:
    """`directory` over HTTP on 127.0.0.1 (a free port), quietly, or through `handler`."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler or QuietHandler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    site, out, *paths = argv
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    server = serve(Path(site))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths or [""]:
            for name, (w, h) in WIDTHS.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(base + path.lstrip("/"))
                page.wait_for_timeout(300)
                target = out_dir / f"{(path.strip('/') or 'home').replace('/', '_')}-{name}.png"
                height = min(page.evaluate("document.documentElement.scrollHeight"), 2 * h)
                page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": w, "height": height}, full_page=True)
                print(target)
                page.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
