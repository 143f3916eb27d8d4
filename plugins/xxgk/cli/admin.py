"""xxgk admin: the browser form's back end on this computer (local mode, no forge account needed).

decap-server (git mode) works on this repository; each new or edited item becomes a local branch
cms/…; the build preview (`scripts/build --serve --admin`) serves the form at /admin/."""

from __future__ import annotations

import signal
import sys

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, load_options


def register(sub) -> None:
    p = sub.add_parser("admin", help="在本机启动网页编辑表单的后台（只监听 127.0.0.1，不需要代码托管平台账号）")
    add_site_dir(p)
    p.add_argument("--port", type=int, default=8081, help="后台端口（默认 8081；0 为任选空闲端口）")
    p.set_defaults(func=run)


def run(args) -> int:
    from xxgk.authoring import local  # with the importer's HTML libraries: only when it runs (cli/__init__.py)
    from xxgk.authoring.page import AuthoringError

    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    repo = opts.root.resolve()
    if not local.current_branch(repo):
        print(
            f"xxgk admin: {repo} 不是 Git 仓库或不在分支上；本地编辑需要在站点仓库的分支（如 main）上运行",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for line in local.uncommitted(repo):
        print(
            f"xxgk admin: 注意：未提交的修改 {line.strip()} 会被表单的下一次保存一并提交；请先提交或撤销",
            file=sys.stderr,
        )
    try:
        mode = local.LocalMode(opts, args.port).start()
    except (AuthoringError, RuntimeError, OSError) as exc:
        print(f"xxgk admin: {exc}", file=sys.stderr)
        return EXIT_USAGE
    assert mode.server is not None
    print(mode.api, flush=True)  # scripts/build reads the address from here
    print(f"编辑后台已启动（分支 {local.current_branch(repo)}）；按 Ctrl+C 停止", file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))  # stop decap-server too (finally)
    try:
        mode.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        mode.stop()
    return EXIT_OK
