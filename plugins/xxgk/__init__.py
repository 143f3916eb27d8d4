"""xxgk: static sites for 政府信息公开 from front-matter Markdown.

The package's folders are the pipeline, in layers, bottom to top; each may import only the
layers it names (tests/test_layout.py holds the code to them, DEVELOPING.md has the map).
This list is written by scripts/docs from LAYERS:

    infra/     machinery with no knowledge of sites: work beside the build (background), the
               build's long-lived objects kept out of the collector's way (heap), putting
               files in place (place), results kept between runs (memo) and their folders
               (caches: every .cache/xxgk/<x>), progress of long steps (progress). Imports:
               nothing.
    core/      the records (model), what staff write (fields: the field table; options:
               every xxgk: option, declared once; codes: every problem code), reading (load,
               yamlio, gate, holidays), relate (indexes, relations, every item's status on
               the as-of day and over time), status (the one status rule: status_on,
               status_steps, the five statuses and every word shown for each), docno (the
               one 文号 normaliser), site (analyse's result), urls (the route table: every
               site path), stats, lifecycle (reading the steps: changes after the build, the
               browser encoding, timelines), workdays (the working-day calendar:
               catalog/holidays.yml over chinesecalendar), wordlists and wording (the
               wording check's lists, wording_data/*.yml and catalog/wording.yml, and the
               one-pass matcher the wording rules, import and review share), scaffold,
               ledger (the 依申请公开 case files: records and their shape), deadlines (a case's
               statutory clock, 第三十至三十三条), report_tables (the annual report's tables 二–四:
               computed, and read back from a report's Markdown), columns (the 网页设计规范's
               column types and the 标准目录 fields of a node), identity (the footer identity
               from extra:), orgcode (organisation codes by check character), idnumber (the
               居民身份证号 check digit: the privacy scan's and the form's); hostile input (issue
               30): safetext (control/bidi characters, plausible dates, identities that
               become paths, file names, formula-safe CSV, git revisions), folders
               (site/docs/catalog/items dirs against each other), placement (file names,
               case clashes, generated addresses), limits (regular files, bounded HTTP
               reads, JSON depth), ziplimits (docx/xlsx bombs). Imports: infra.
    rules/     the checks, one module per family, each with RULES; rules/__init__.py lists
               the families (FAMILIES) and has check and analyse (load → relate → check);
               bounds (body size and nesting, E173) and seen (a body as its reader sees it,
               for the privacy scan). Imports: infra, core.
    output/    which pages exist and what each lists (pages: PageSpecs, pure data; pagedata:
               one dataclass per page kind), statistics, charts, feeds, open data, sitemap,
               the portal descriptor, annual_tables (tables 二–四 as Markdown, JSON, xlsx),
               apply_form (the 依申请公开 page's data and its .docx form), the meta tags every
               page carries (meta, handed to templates as xx_head with the footer identity),
               the 19号 self-inspection (inspection: xxgk inspect and the portal watch).
               Imports: infra, core.
    search/    Pagefind records and key words (records, text), the index (index, stable),
               the browser rule data (browser; the browser code itself is in
               plugins/xxgk/browser/), the search records a member publishes for a portal's
               engine (published). Imports: infra, core.
    publish/   after the pages are written: link check (linkcheck), manifest, atomic swap
               (finish runs the first two); buildlock (one build per repository, E310),
               oserrors (OS errors in Chinese, E311). Imports: infra, core, output, search.
    onboard/   bringing a site in: new_site (xxgk init: templates, the pinned dependencies,
               xxgk-init.yml, init --update's diff); xxgk import — sources (SOURCE arguments
               → records), tables, headers (the label table), page_labels (labels on a saved
               page, in the shapes real templates use), saved_pages (a page's title, body,
               chrome), html_body (HTML → Markdown, injected text), links (every body link
               decided), convert/values (texts → front matter), importer (identity, files,
               the run's report), record; crawl (xxgk crawl: the live old site → saved
               pages). python -m xxgk_dev.realpages_bench scores it on ../shared/realpages/.
               Imports: infra, core, rules.
    authoring/ the browser form (admin/): its Decap configuration, the local back end,
               normalising what it saves, what local mode refuses (guard: rules.analyse on
               the would-be tree in a scratch worktree, merge-tree for conflicts, 索引号 held
               by drafts) and attachment names (attachments). Imports: infra, core, rules,
               output.
    portal/    a portal over member sites: reading members (read, gather), member portals
               (levels), merging, watching, its pages; its search engine (engine: OpenSearch
               connection, index settings, mapping, document shape; indexer: xxgk portal-
               index), and the readers' door to it (query: what a reader may ask, as one
               engine request, and the answer in the search page's shape; door: xxgk portal-
               serve). Imports: infra, core, rules, output, search, publish.
    build/     one build, engine aside (steps: SiteBuild, PortalBuild; Build.run is the
               whole build, top to bottom), and the page cache (pagecache). Imports: infra,
               core, rules, output, search, publish, authoring, portal.
    cli/       xxgk and one module per command. Imports: infra, core, rules, output, search,
               publish, onboard, authoring, portal.
    adapter/   the MkDocs glue (plugin: events → the build; engine: the build's pages as
               MkDocs files; config: the options as MkDocs' schema), page rendering (page),
               MkDocs' side of the page cache (cache), the Jinja templates and CSS
               (templates/), escape (the url filter escaped, a url outside the page's own
               folder tree worked out once per folder depth, the CSP <meta>), mdlinear
               (inline Markdown: links in linear time, patterns tried only where they can
               match), bytecode (the templates compiled once, kept between builds); the only
               code that imports MkDocs. Imports: infra, core, rules, output, search,
               publish, authoring, portal, build.
"""

from importlib.metadata import version as _version

# The one place the version is written is pyproject.toml; `xxgk --version`, init's pins and the
# generated files read it from the installed package's metadata.
__version__ = _version("xxgk")

# Each layer (a sub-package): what it holds, and the layers it may import besides itself.
# Bottom to top; nothing imports a layer above it, and only the adapter imports the engine.
LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "infra": (
        "machinery with no knowledge of sites: work beside the build (`background`), the build's long-lived"
        " objects kept out of the collector's way (`heap`), putting files in place (`place`), results kept"
        " between runs (`memo`) and their folders (`caches`: every `.cache/xxgk/<x>`), progress of long steps"
        " (`progress`)",
        (),
    ),
    "core": (
        "the records (`model`), what staff write (`fields`: the field table; `options`: every `xxgk:` option,"
        " declared once; `codes`: every problem code), reading (`load`, `yamlio`, `gate`, `holidays`), `relate`"
        " (indexes, relations, every item's status on the as-of day and over time), `status` (the one status"
        " rule: `status_on`, `status_steps`, the five statuses and every word shown for each), `docno` (the one"
        " 文号 normaliser), `site` (analyse's result), `urls` (the route table: every site path), `stats`,"
        " `lifecycle` (reading the steps: changes after the build, the browser encoding,"
        " timelines), `workdays` (the working-day calendar: catalog/holidays.yml over chinesecalendar),"
        " `wordlists` and `wording` (the wording check's lists, `wording_data/*.yml` and catalog/wording.yml,"
        " and the one-pass matcher the wording rules, import and review share), `scaffold`, `ledger` (the"
        " 依申请公开 case files: records and their shape), `deadlines` (a case's statutory clock, 第三十至三十三条),"
        " `report_tables` (the annual report's tables 二–四: computed, and read back from a report's Markdown),"
        " `columns` (the 网页设计规范's column types and the 标准目录 fields of a node), `identity` (the footer"
        " identity from `extra:`), `orgcode` (organisation codes by check character), `idnumber` (the"
        " 居民身份证号 check digit: the privacy scan's and the form's); hostile input (issue 30):"
        " `safetext` (control/bidi characters, plausible dates, identities that become paths, file names,"
        " formula-safe CSV, git revisions), `folders` (site/docs/catalog/items dirs against each other),"
        " `placement` (file names, case clashes, generated addresses), `limits` (regular files, bounded HTTP"
        " reads, JSON depth), `ziplimits` (docx/xlsx bombs)",
        ("infra",),
    ),
    "rules": (
        "the checks, one module per family, each with `RULES`; `rules/__init__.py` lists the families"
        " (`FAMILIES`) and has `check` and `analyse` (load → relate → check); `bounds` (body size and"
        " nesting, E173) and `seen` (a body as its reader sees it, for the privacy scan)",
        ("infra", "core"),
    ),
    "output": (
        "which pages exist and what each lists (`pages`: PageSpecs, pure data; `pagedata`: one dataclass per"
        " page kind), statistics, charts, feeds,"
        " open data, sitemap, the portal descriptor, `annual_tables` (tables 二–四 as Markdown, JSON, xlsx),"
        " `apply_form` (the 依申请公开 page's data and its .docx form), the meta tags every page carries (`meta`,"
        " handed to templates as `xx_head` with the footer identity), the 19号 self-inspection (`inspection`:"
        " `xxgk inspect` and the portal watch)",
        ("infra", "core"),
    ),
    "search": (
        "Pagefind records and key words (`records`, `text`), the index (`index`, `stable`), the browser rule"
        " data (`browser`; the browser code itself is in `plugins/xxgk/browser/`), the search records a member"
        " publishes for a portal's engine (`published`)",
        ("infra", "core"),
    ),
    "publish": (
        "after the pages are written: link check (`linkcheck`), manifest, atomic swap (`finish` runs the first"
        " two); `buildlock` (one build per repository, E310), `oserrors` (OS errors in Chinese, E311)",
        ("infra", "core", "output", "search"),
    ),
    "onboard": (
        "bringing a site in: `new_site` (`xxgk init`: templates, the pinned dependencies, `xxgk-init.yml`,"
        " `init --update`'s diff); `xxgk import` — `sources` (SOURCE arguments → records),"
        " `tables`, `headers` (the label table), `page_labels` (labels on a saved page, in the shapes real"
        " templates use), `saved_pages` (a page's title, body, chrome), `html_body` (HTML → Markdown, injected"
        " text), `links` (every body link decided), `convert`/`values` (texts → front matter), `importer`"
        " (identity, files, the run's report), `record`; `crawl` (`xxgk crawl`: the live old site → saved"
        " pages). `python -m xxgk_dev.realpages_bench` scores it on ../shared/realpages/",
        ("infra", "core", "rules"),
    ),
    "authoring": (
        "the browser form (`admin/`): its Decap configuration, the local back end, normalising what it saves,"
        " what local mode refuses (`guard`: `rules.analyse` on the would-be tree in a scratch worktree,"
        " merge-tree for conflicts, 索引号 held by drafts) and attachment names (`attachments`)",
        ("infra", "core", "rules", "output"),
    ),
    "portal": (
        "a portal over member sites: reading members (`read`, `gather`), member portals (`levels`), merging, watching, its pages; its"
        " search engine (`engine`: OpenSearch connection, index settings, mapping, document shape;"
        " `indexer`: `xxgk portal-index`), and the readers' door to it (`query`: what a reader may ask, as one"
        " engine request, and the answer in the search page's shape; `door`: `xxgk portal-serve`)",
        ("infra", "core", "rules", "output", "search", "publish"),
    ),
    "build": (
        "one build, engine aside (`steps`: `SiteBuild`, `PortalBuild`; `Build.run` is the whole build,"
        " top to bottom), and the page cache (`pagecache`)",
        ("infra", "core", "rules", "output", "search", "publish", "authoring", "portal"),
    ),
    "cli": (
        "`xxgk` and one module per command",
        ("infra", "core", "rules", "output", "search", "publish", "onboard", "authoring", "portal"),
    ),
    "adapter": (
        "the MkDocs glue (`plugin`: events → the build; `engine`: the build's pages as MkDocs files; `config`:"
        " the options as MkDocs' schema), page rendering (`page`), MkDocs' side of the page cache (`cache`),"
        " the Jinja templates and CSS (`templates/`), `escape` (the `url` filter escaped, a url outside the"
        " page's own folder tree worked out once per folder depth, the CSP `<meta>`),"
        " `mdlinear` (inline Markdown: links in linear time, patterns tried only where they can match),"
        " `bytecode` (the templates compiled once, kept between builds); the only code that imports MkDocs",
        ("infra", "core", "rules", "output", "search", "publish", "authoring", "portal", "build"),
    ),
}
