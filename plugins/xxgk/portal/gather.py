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
from xxgk.portal.levels import Counted, Level, as_read, findings_below, of_read, read_level, unique
from xxgk.portal.read import MISSING, Read, read
from xxgk.rules import analyse

FILLED_BY_MEMBERS = ("W202",)  # a portal's catalog nodes are empty by design: its members fill them

log = logging.getLogger("mkdocs.plugins.xxgk")


@dataclass
class Gathered:
    portal: Portal
    reads: list[Read]  # every member that is a site, in mkdocs.yml order
    as_of: dt.date
    now: dt.datetime
    findings: list[watch.Finding] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)  # the members that are portals
    sites: list[Counted] = field(default_factory=list)  # every site counted, at any level, once
    site_url: str = ""  # this portal's own site_url: how a portal below knows it (portal/levels.py)

    @property
    def counted(self) -> list[Read]:
        """The sites the merged annual tables sum: each once, at any level (unique)."""
        direct = {r.member.id: r for r in self.members}
        out = [direct.get(s.path[0]) if len(s.path) == 1 else as_read(s, self.now) for s in self.sites]
        return [r for r in out if r is not None and r.usable]

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
    # a member with no descriptor (nor a kept copy of one) may be a portal (portal/levels.py):
    # asked only then, one file more; a site that fails with a kept copy is not asked again
    below = [
        read_level(r.member, opts.root, portal.timeout, opts.site_url, copies / r.member.id, now)
        if r.state == MISSING
        else None
        for r in reads
    ]
    found = [level for level in below if level is not None]
    reads = [r for r, level in zip(reads, below) if level is None]
    for r in reads:
        for problem in r.problems:
            kept = f"，使用 {r.read_at:%Y-%m-%d %H:%M} 保存的副本" if r.usable else "，本次未列入门户"
            log.warning("门户成员 %s：%s%s", r.member.id, problem, kept)
    as_of = opts.as_of_date()
    findings = watch.findings(reads, portal, as_of, now)
    direct = [of_read(r, findings) for r in reads]
    sites, twice = unique(direct + [s for level in found for s in level.sites])
    findings += [f for level in found for f in findings_below(level)] + twice
    return Gathered(portal, reads, as_of, now, findings, found, sites, opts.site_url)


def analyse_portal(opts: Options) -> Site:
    """The portal's own repository, checked like any site (catalog/, its pages), except that
    it publishes no items of its own."""
    site = analyse(opts)
    site.problems = [p for p in site.problems if p.code not in FILLED_BY_MEMBERS]
    return site
