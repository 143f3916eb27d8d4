"""A real OpenSearch for development and the tests: installed from Maven Central into
.cache/opensearch/, started on 127.0.0.1 as one node or a small cluster (scripts/opensearch).

The distribution is OpenSearch's integ-test zip (the server and the transport module, no
security plugin, no bundled JDK: it runs on the machine's Java 17). The `cjk_bigram` filter the
portal's mapping needs (portal/engine.py) lives in the `analysis-common` module, published as
its own jar: it is laid in modules/analysis-common/ beside a plugin descriptor of ours. That
module only extends `lang-painless` for scripted token filters, which the portal does not use,
so the descriptor extends nothing and painless is not installed.

OpenSearch refuses to run as root: as root, the nodes run as the system user
`xxgk-opensearch` (made when missing), owning only their own run folder.

    scripts/opensearch install
    scripts/opensearch start [--nodes 3] [--port 19200] [--dir D] [--heap 512m]
    scripts/opensearch status [--dir D]
    scripts/opensearch stop [--dir D]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.portal.query import Limits

VERSION = "2.19.6"
ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / ".cache" / "opensearch"
M2 = Path.home() / ".m2" / "repository"
# (Maven coordinates, path under ~/.m2, SHA-256 of the file Maven Central serves)
DIST = (
    f"org.opensearch.distribution.integ-test-zip:opensearch:{VERSION}:zip",
    f"org/opensearch/distribution/integ-test-zip/opensearch/{VERSION}/opensearch-{VERSION}.zip",
    "71d6d8b1c637f3faecda0752b184b1cc526fc6eaad59ec1408c6327bb00b9293",
)
ANALYSIS = (
    f"org.opensearch.plugin:analysis-common:{VERSION}",
    f"org/opensearch/plugin/analysis-common/{VERSION}/analysis-common-{VERSION}.jar",
    "187378844d92a043b935038f9ae168f7812f686b1c1c7128f8b97731baff8a1a",
)
DESCRIPTOR = f"""\
description=Adds "built in" analyzers to OpenSearch (the jar from Maven Central, laid in by xxgk)
version={VERSION}
name=analysis-common
classname=org.opensearch.analysis.common.CommonAnalysisPlugin
java.version=11
opensearch.version={VERSION}
custom.foldername=
extended.plugins=
has.native.controller=false
"""
JVM_OPTIONS = """\
-Xms{heap}
-Xmx{heap}
-XX:+UseG1GC
-XX:-HeapDumpOnOutOfMemoryError
-Djava.security.manager=allow
-Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory
"""
USER = "xxgk-opensearch"
RUN = HOME / "run"  # the default folder of `start`


class SetupError(Exception):
    pass


def java_home() -> Path | None:
    java = shutil.which("java")
    return Path(os.path.realpath(java)).parents[1] if java else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _artifact(coords: str, rel: str, sha256: str) -> Path:
    """The file from the local Maven repository, fetched by mvn when missing, its SHA-256 checked."""
    path = M2 / rel
    if not path.is_file():
        if not shutil.which("mvn"):
            raise SetupError(f"需要 Maven（mvn）下载 {coords}：apt-get install maven")
        subprocess.run(["mvn", "-q", "dependency:get", f"-Dartifact={coords}", "-Dtransitive=false"], check=True)
    if _sha256(path) != sha256:
        raise SetupError(f"{path} 的 SHA-256 不符（应为 {sha256}）：删除该文件后重新运行 scripts/opensearch install")
    return path


def install() -> Path:
    """OpenSearch with analysis-common under .cache/opensearch/opensearch-<version>; idempotent."""
    home = HOME / f"opensearch-{VERSION}"
    stamp = home / ".xxgk-installed"
    want = f"{DIST[2]} {ANALYSIS[2]}\n{DESCRIPTOR}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == want:
        return home
    dist, jar = _artifact(*DIST), _artifact(*ANALYSIS)
    print(f"==> 安装 OpenSearch {VERSION} 到 {home}", file=sys.stderr)
    staging = HOME / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with zipfile.ZipFile(dist) as z:
        z.extractall(staging)
    unpacked = staging / f"opensearch-{VERSION}"
    for script in (unpacked / "bin").iterdir():
        script.chmod(0o755)
    module = unpacked / "modules" / "analysis-common"
    module.mkdir()
    shutil.copyfile(jar, module / jar.name)
    (module / "plugin-descriptor.properties").write_text(DESCRIPTOR, encoding="utf-8")
    for path in [unpacked, *unpacked.rglob("*")]:  # the node's user reads it all
        path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    shutil.rmtree(home, ignore_errors=True)
    unpacked.rename(home)
    shutil.rmtree(staging)
    stamp.write_text(want, encoding="utf-8")
    return home


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Node:
    name: str
    http: int
    transport: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http}"

    @property
    def pid_file(self) -> Path:
        return self.folder / "pid"

    def pid(self) -> int | None:
        """The node's java while it runs (an exited child of this process is reaped here)."""
        try:
            pid = int(self.pid_file.read_text())
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, ValueError, IndexError):
            return None
        if state == "Z":
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            return None
        return pid


@dataclass
class Cluster:
    """Nodes under one folder (`folder/cluster.json` says which), started and stopped together."""

    folder: Path
    nodes: list[Node] = field(default_factory=list)

    @property
    def hosts(self) -> list[str]:
        return [n.url for n in self.nodes]

    @classmethod
    def plan(cls, folder: Path, count: int = 1, port: int | None = None) -> Cluster:
        """Ports from `port` (http port, port+1 …; transport 100 above), else free ones."""
        nodes = []
        for i in range(count):
            http, transport = (port + i, port + 100 + i) if port else (free_port(), free_port())
            nodes.append(Node(f"n{i}", http, transport, folder / f"n{i}"))
        return cls(folder, nodes)

    @classmethod
    def load(cls, folder: Path) -> Cluster | None:
        try:
            doc = json.loads((folder / "cluster.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls(folder, [Node(n["name"], n["http"], n["transport"], folder / n["name"]) for n in doc["nodes"]])

    def save(self) -> None:
        nodes = [{"name": n.name, "http": n.http, "transport": n.transport} for n in self.nodes]
        (self.folder / "cluster.json").write_text(json.dumps({"nodes": nodes}), encoding="utf-8")

    def _configure(self, node: Node, heap: str) -> None:
        config = node.folder / "config"
        for sub in ("config", "data", "logs", "tmp"):
            (node.folder / sub).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(install() / "config" / "log4j2.properties", config / "log4j2.properties")
        (config / "jvm.options").write_text(JVM_OPTIONS.format(heap=heap), encoding="utf-8")
        lines = {
            "cluster.name": f"xxgk-{self.folder.name}",
            "node.name": node.name,
            "network.host": "127.0.0.1",
            "http.port": node.http,
            "transport.port": node.transport,
            "path.data": str(node.folder / "data"),
            "path.logs": str(node.folder / "logs"),
            "action.destructive_requires_name": True,
            # a test machine's disk may be nearly full: never turn indexes read-only for it
            "cluster.routing.allocation.disk.threshold_enabled": False,
            # the door's result pages (up to its page size) kept in the shard request cache, as
            # docs/portal.md asks of a production cluster: a repeated search costs no scoring
            "indices.requests.cache.maximum_cacheable_size": Limits().page_size,
        }
        if len(self.nodes) == 1:
            lines["discovery.type"] = "single-node"
        else:
            lines["discovery.seed_hosts"] = json.dumps([f"127.0.0.1:{n.transport}" for n in self.nodes])
            lines["cluster.initial_cluster_manager_nodes"] = json.dumps([n.name for n in self.nodes])
        (config / "opensearch.yml").write_text(
            "".join(f"{k}: {json.dumps(v) if isinstance(v, bool) else v}\n" for k, v in lines.items()), encoding="utf-8"
        )
        if os.geteuid() == 0:
            _ensure_user()
            shutil.chown(node.folder, USER)
            for path in node.folder.rglob("*"):
                shutil.chown(path, USER)

    def start_node(self, node: Node, heap: str = "512m") -> None:
        if node.pid():
            return
        home, java = install(), java_home()
        if java is None:
            raise SetupError("找不到 java：OpenSearch 需要 Java 17（apt-get install openjdk-17-jre-headless）")
        self._configure(node, heap)
        env = {
            **os.environ,
            "OPENSEARCH_JAVA_HOME": str(java),
            "OPENSEARCH_PATH_CONF": str(node.folder / "config"),
            "OPENSEARCH_TMPDIR": str(node.folder / "tmp"),
        }
        env.pop("OPENSEARCH_JAVA_OPTS", None)
        command = [str(home / "bin" / "opensearch"), "-q"]
        if os.geteuid() == 0:
            command = ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups", "--", *command]
        with (node.folder / "out.log").open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=node.folder,
                env=env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        node.pid_file.write_text(str(process.pid))

    def start(self, heap: str = "512m", wait: float = 240) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.save()
        for node in self.nodes:
            self.start_node(node, heap)
        self.wait(len(self.nodes), wait)

    def health(self, node: Node | None = None) -> dict | None:
        for n in [node] if node else self.nodes:
            try:
                with urllib.request.urlopen(f"{n.url}/_cluster/health", timeout=5) as r:
                    return json.loads(r.read())
            except OSError:
                continue
        return None

    def wait(self, count: int, timeout: float = 240) -> None:
        """Until `count` nodes have joined and the cluster is at least yellow."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.health()
            if health and health["number_of_nodes"] >= count and health["status"] in ("yellow", "green"):
                return
            if not any(n.pid() for n in self.nodes):
                break
            time.sleep(1)
        logs = "、".join(str(n.folder / "out.log") for n in self.nodes)
        raise SetupError(f"OpenSearch 未在 {timeout:.0f} 秒内启动（{count} 个节点）：见 {logs}")

    def kill(self, node: Node) -> None:
        """The node's process group, SIGKILL: a crash, not a shutdown."""
        self._signal(node, signal.SIGKILL)

    def stop(self) -> None:
        for node in self.nodes:
            self._signal(node, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while any(n.pid() for n in self.nodes) and time.monotonic() < deadline:
            time.sleep(0.5)
        for node in self.nodes:
            self._signal(node, signal.SIGKILL)

    def _signal(self, node: Node, sig: int) -> None:
        pid = node.pid()
        if pid is None:
            return
        try:
            os.killpg(pid, sig)  # the node's java, started in its own session
        except ProcessLookupError:
            return
        if sig == signal.SIGKILL:
            while node.pid() is not None:
                time.sleep(0.1)


def _ensure_user() -> None:
    if subprocess.run(["id", "-u", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/opensearch", description="开发与测试用的 OpenSearch")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install", help=f"从 Maven Central 安装 OpenSearch {VERSION} 到 .cache/opensearch/")
    for name in ("start", "stop", "status"):
        p = sub.add_parser(name)
        p.add_argument("--dir", type=Path, default=RUN, help="节点目录（默认 .cache/opensearch/run）")
        if name == "start":
            p.add_argument("--nodes", type=int, default=1, help="节点数（默认 1）")
            p.add_argument("--port", type=int, default=19200, help="第一个节点的 HTTP 端口（传输端口加 100）")
            p.add_argument("--heap", default="512m", help="每个节点的堆大小（默认 512m）")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            print(install())
            return 0
        cluster = Cluster.load(args.dir)
        if args.command == "start":
            if cluster and any(n.pid() for n in cluster.nodes):
                print(
                    f"已在运行：{' '.join(cluster.hosts)}（先 scripts/opensearch stop --dir {args.dir}）",
                    file=sys.stderr,
                )
                return 1
            cluster = Cluster.plan(args.dir.resolve(), args.nodes, args.port)
            cluster.start(args.heap)
            print(" ".join(cluster.hosts))
        elif args.command == "stop":
            if cluster:
                cluster.stop()
        else:
            if not cluster or not any(n.pid() for n in cluster.nodes):
                print("未运行")
                return 1
            health = cluster.health()
            running = [n.url for n in cluster.nodes if n.pid()]
            print(f"{' '.join(running)}：{health['status'] if health else '无响应'}")
    except (SetupError, subprocess.CalledProcessError) as exc:
        print(f"scripts/opensearch: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
