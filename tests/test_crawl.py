"""xxgk crawl against real nginx on 127.0.0.1 serving an old site written here (510 detail pages
on 26 paginated list pages, attachments by root and relative links, a redirect, a 404, a slow
page, robots.txt, off-site links); then `xxgk import` of what it saved, and the build."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import BIN, new_site, run

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
N = 510
PER_LIST = 20
ORG = "11990102MB0000001P"
AGENCY = "云溪市河西区人民政府办公室"


def detail(k: int) -> str:
    files = ""
    if k % 5 == 0:
        files += f'<p>附件：<a href="/upfiles/2024/f{k}.pdf">安排{k}.pdf</a></p>'
    if k % 7 == 0:
        files += f'<p>附件：<a href="./W0{k}.docx">附表{k}.docx</a></p>'
    if k == 3:  # a download script: the file's name and type come from the response
        files += '<p><a href="/downxxgk.php?fid=3" title="点击下载">下载本信息公开文件</a></p>'
    related = f'<p>相关文件：<a href="t_{k - 1:04d}.html">上一份通知</a></p>' if k else ""
    return (
        f'<html><head><meta charset="utf-8"><title>关于第{k}项工作的通知_通知公告</title></head><body>'
        "<div class='crumb'>当前位置：首页 &gt; 信息公开</div>"
        f"<table class='xxgk'><tr><td>索 引 号：</td><td>{ORG}/2024-{k + 1:05d}</td>"
        f"<td>发布机构：</td><td>{AGENCY}</td></tr>"
        f"<tr><td>文　　号：</td><td>河政办发〔2024〕{k + 1}号</td><td>发布日期：</td><td>2024-03-{1 + k % 28:02d}</td></tr></table>"
        f"<h1>关于第{k}项工作的通知</h1><div id='zoom'><p>　　请各单位按要求做好第{k}项工作，按时报送进展。</p>"
        f"{files}{related}<p>详见<a href='https://www.example.com/ad.html'>外部网站</a>。</p></div>"
        "<div class='foot'>网站标识码：1199000001</div></body></html>"
    )


def listing(n: int, pages: int) -> str:
    links = "".join(
        f'<li><a href="/xxgk/2024/t_{k:04d}.html">关于第{k}项工作的通知</a></li>'
        for k in range(n * PER_LIST, min(N, (n + 1) * PER_LIST))
    )
    extra = ""
    if n == 0:
        extra = (
            '<li><a href="/xxgk/moved.html">已搬迁的通知</a></li><li><a href="/xxgk/2024/missing.html">已删除</a></li>'
            '<li><a href="/slow/t_slow.html">慢的通知</a></li><li><a href="/private/secret.html">内部</a></li>'
            '<li><a href="https://www.example.com/">友情链接</a></li>'
        )
    nxt = f'<a href="index_{n + 1}.html">下一页</a>' if n + 1 < pages else ""
    return f'<html><head><meta charset="utf-8"><title>通知公告</title></head><body><ul>{links}{extra}</ul>{nxt}</body></html>'


def write_old_site(root: Path) -> None:
    pages = (N + PER_LIST - 1) // PER_LIST
    (root / "xxgk" / "2024").mkdir(parents=True)
    (root / "upfiles" / "2024").mkdir(parents=True)
    (root / "slow").mkdir()
    (root / "private").mkdir()
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    for n in range(pages):
        (root / "xxgk" / ("index.html" if n == 0 else f"index_{n}.html")).write_text(listing(n, pages), "utf-8")
    for k in range(N):
        (root / "xxgk" / "2024" / f"t_{k:04d}.html").write_text(detail(k), "utf-8")
        if k % 5 == 0:
            (root / "upfiles" / "2024" / f"f{k}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        if k % 7 == 0:
            (root / "xxgk" / "2024" / f"W0{k}.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (root / "xxgk" / "2024" / "moved-here.html").write_text(detail(N).replace(f"2024-{N + 1:05d}", "2024-09001"))
    slow = (
        detail(N + 1).replace(f"2024-{N + 2:05d}", "2024-09002").replace("</div>", "<!--" + "x" * 6000 + "--></div>", 1)
    )
    (root / "slow" / "t_slow.html").write_text(slow, "utf-8")
    (root / "private" / "secret.html").write_text(detail(N + 2), "utf-8")


def free_port() -> int:
    for port in range(18400, 18500):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in 18400–18499")


@pytest.fixture
def old_site(tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (scripts/setup --browser)")
    root = tmp_path / "www"
    write_old_site(root)
    port = free_port()
    logs = tmp_path / "nginx"
    logs.mkdir()
    temp = "".join(f"{k}_temp_path {logs}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = logs / "nginx.conf"
    conf.write_text(
        f"daemon off; master_process off; pid {logs}/pid; error_log {logs}/error.log;\n"
        "events {}\n"
        "http {\n"
        "  types { text/html html; text/plain txt; application/pdf pdf;"
        " application/vnd.openxmlformats-officedocument.wordprocessingml.document docx; }\n"
        f"  log_format t '$msec $request_uri \"$http_user_agent\"'; access_log {logs}/access.log t;\n{temp}"
        f"  server {{ listen 127.0.0.1:{port}; root {root};\n"
        "    location = /xxgk/moved.html { return 301 /xxgk/2024/moved-here.html; }\n"
        "    location /slow/ { limit_rate 2k; }\n"
        "    location = /downxxgk.php { default_type application/pdf;"
        " add_header Content-Disposition 'attachment; filename=\"anpai.pdf\"'; try_files /upfiles/2024/f0.pdf =404; }\n"
        "  }\n}\n"
    )
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(logs)], stderr=subprocess.PIPE)
    for _ in range(50):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", logs / "access.log"
    proc.terminate()
    proc.wait(timeout=10)


def requests_in(log: Path) -> list[tuple[float, str, str]]:
    out = []
    for line in log.read_text().splitlines():
        stamp, uri, agent = line.split(" ", 2)
        out.append((float(stamp), uri, agent.strip('"')))
    return out


def crawl(tmp_path, base: str, *args: str):
    return run([str(BIN / "xxgk"), "crawl", f"{base}/xxgk/", "--out", str(tmp_path / "saved"), *args], tmp_path)


@pytest.mark.build
@pytest.mark.cli
def test_crawl_resume_import_and_build(old_site, tmp_path):
    base, log = old_site
    first = crawl(tmp_path, base, "--delay", "0", "--concurrency", "4", "--max-pages", "150")
    assert "尚有" in first.err and "未抓取" in first.err, first.text  # stopped with work left
    second = crawl(tmp_path, base, "--delay", "0", "--concurrency", "4", "--timeout", "20")
    assert second.code == 1, second.text  # the 404 is reported
    assert f"{base}/xxgk/2024/missing.html: I327 无法抓取（HTTP 404）" in second.out, second.out
    assert "尚有" not in second.err, second.err
    seen = requests_in(log)
    uris = [u for _, u, _ in seen if u != "/robots.txt"]
    assert len(uris) == len(set(uris)), sorted(u for u in uris if uris.count(u) > 1)[:5]  # resumed, nothing twice
    assert all(agent.startswith("xxgk-crawl/") for _, _, agent in seen)
    assert "/private/secret.html" not in uris  # robots.txt
    saved = tmp_path / "saved" / "127.0.0.1"
    pages = list(saved.rglob("*.html"))
    assert len(pages) == N + 2, len(pages)  # every detail page, the redirected one and the slow one
    assert (saved / "xxgk" / "2024" / "moved-here.html").is_file()
    assert (saved / "slow" / "t_slow.html").is_file()
    assert len(list(saved.rglob("*.pdf"))) == len(range(0, N, 5)) + 1 and len(list(saved.rglob("*.docx"))) == len(
        range(0, N, 7)
    )
    script = (saved / "xxgk" / "2024" / "t_0003.html").read_text(encoding="utf-8")
    assert 'href="../../downxxgk_' in script and list(saved.glob("downxxgk_*.pdf")), script[-800:]
    first_page = (saved / "xxgk" / "2024" / "t_0000.html").read_text(encoding="utf-8")
    assert first_page.startswith("<!-- saved from url=(") and "../../upfiles/2024/f0.pdf" in first_page

    target = tmp_path / "site"
    site = new_site(target, ORG)
    site.write("mapping.yml", f"defaults: {{category: qtwj}}\naliases:\n  publisher: {{{AGENCY}: zf}}\n")
    imported = site.xxgk("import", str(tmp_path / "saved"), "--mapping", "mapping.yml")
    assert f"已导入 {N + 2} 条" in imported.err, imported.text[-3000:]
    items = {}
    for path in (target / "content" / "items").rglob("*.md"):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        items[yaml.safe_load(front)["index_no"]] = (yaml.safe_load(front), body)
    meta, body = items[f"{ORG}/2024-00036"]  # k = 35: a PDF and a DOCX beside it, a link to item 34
    assert [a["file"] for a in meta["attachments"]] == ["files/2024-00036/f35.pdf", "files/2024-00036/W035.docx"]
    assert "[上一份通知](2024-00035.md)" in body, body
    script_meta, _ = items[f"{ORG}/2024-00004"]
    assert script_meta["attachments"][0]["file"].endswith(".pdf"), script_meta
    built = site.build()
    assert built.code == 0, built.text[-3000:]


@pytest.mark.cli
def test_crawl_waits_between_requests(old_site, tmp_path):
    base, log = old_site
    result = crawl(tmp_path, base, "--delay", "0.3", "--concurrency", "3", "--max-pages", "8")
    assert "尚有" in result.err, result.text
    stamps = sorted(t for t, _, _ in requests_in(log))
    assert len(stamps) >= 8
    # one host: requests start at least 0.3 s apart however many run at once (three could take 0.1 s in
    # all); nginx logs when a request ends, so one slow to arrive can shorten a single gap, not the sum
    assert stamps[-1] - stamps[0] >= 0.3 * (len(stamps) - 1) - 0.15, stamps
