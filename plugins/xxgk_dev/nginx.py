"""Debian's nginx as a child process with the configurations the docs give (README.md's
"nginx at the site root", docs/portal.md's "nginx in front of the door"), read from the docs so
the text IT staff copy is the text the tests and benchmarks run."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def blocks(doc: str, section: str) -> list[str]:
    """The ```nginx blocks under the heading `section` (any level) of `doc` (README.md, docs/…),
    up to the next heading (a `#` line inside a code block is a comment, not a heading)."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if re.fullmatch(rf"#+ {re.escape(section)}", line))
    found: list[str] = []
    block: list[str] = []
    fenced = False
    for line in lines[start + 1 :]:
        if line.startswith("```"):
            if fenced and block[0] == "```nginx":
                found.append("\n".join(block[1:]) + "\n")
            fenced, block = not fenced, [line]
        elif fenced:
            block.append(line)
        elif line.startswith("#"):
            break
    return found


def portal_with_door(www: Path, door_port: int) -> tuple[str, str]:
    """(http-level lines, server) for a portal at the root of `www` with its search door on `door_port`."""
    maps, server = blocks("README.md", "nginx at the site root")
    zone, location = blocks("docs/portal.md", "nginx in front of the door")
    location = location.replace("127.0.0.1:8790", f"127.0.0.1:{door_port}")
    server = server.replace("/var/www/xxgk", str(www)).rstrip()
    if not server.endswith("}"):
        raise ValueError("README.md's server block should end in }")
    return maps + zone, server[:-1] + location + "}\n"


class Nginx:
    """nginx as a child process (no daemon, no master) with its own prefix and config."""

    def __init__(self, prefix: Path, server: str, maps: str):
        self.port = free_port()
        prefix.mkdir(parents=True, exist_ok=True)
        temps = "".join(
            f"    {kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = prefix / "nginx.conf"
        conf.write_text(
            f"daemon off;\nmaster_process off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
            f"events {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    access_log off;\n{temps}{maps}\n{server.replace('listen 443 ssl;', f'listen 127.0.0.1:{self.port};')}\n}}\n",
            encoding="utf-8",
        )
        self.proc = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(conf)], stderr=subprocess.PIPE)
        wait_for_port(self.proc, self.port, "nginx", seconds=5)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def wait_for_port(proc: subprocess.Popen, port: int, what: str, seconds: float) -> None:
    """Until `proc` answers on 127.0.0.1:`port`; its stderr as the error if it ends first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.communicate()[1].decode()) from None
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")
