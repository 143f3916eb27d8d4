"""Every member read once per build (or per `xxgk portal-status`), with the watch's findings."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from xxgk.core.options import Options
from xxgk.core.site import Site
from xxgk.infra.caches import cache_dir
from xxgk.portal import watch
from xxgk.portal.config import Portal
from xxgk.portal.read import MISSING, Read, read
from xxgk.rules import analyse

FILLED_BY_MEMBERS = ("W202",)  # a portal's catalog nodes are empty by design: its members fill them

log = logging.getLogger("mkdocs.plugins.xxgk")


@dataclass
class Gathered:
    portal: Portal
    reads: list[Read]  # every member, in mkdocs.yml order
    as_of: dt.date
    now: dt.datetime
    findings: list[watch.Finding] = field(default_factory=list)

    @property
    def members(self) -> list[Read]:
        """The members the portal shows (read now, or from the last good copy)."""
        return [r for r in self.reads if r.usable]

    @property
    def left_out(self) -> list[Read]:
        return [r for r in self.reads if r.state == MISSING]


def gather(opts: Options, portal: Portal, now: dt.datetime | None = None) -> Gathered:
    now = now or dt.datetime.now().astimezone()
    copies = cache_dir(opts.root, "portal")
    reads = [read(m, opts.root, copies, portal.timeout, now) for m in portal.members]
    for r in reads:
        for problem in r.problems:
            kept = f"，使用 {r.read_at:%Y-%m-%d %H:%M} 保存的副本" if r.usable else "，本次未列入门户"
            log.warning("门户成员 %s：%s%s", r.member.id, problem, kept)
    as_of = opts.as_of_date()
    return Gathered(portal, reads, as_of, now, watch.findings(reads, portal, as_of, now))


def analyse_portal(opts: Options) -> Site:
    """The portal's own repository, checked like any site (catalog/, its pages), except that
    it publishes no items of its own."""
    site = analyse(opts)
    site.problems = [p for p in site.problems if p.code not in FILLED_BY_MEMBERS]
    return site
