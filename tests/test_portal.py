"""A portal over three member sites built from tests/fixtures/portal (财政局, 教育局 and a
卫生健康委员会 whose descriptor is of the older format 1): descriptors and their schemas, the
merged pages, the annual table against the members' own `xxgk stats`, the watch, members that
cannot be read, hostile member data, and search over every member's shards in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path

import jsonschema
import pytest
from lxml import html as lhtml
from referencing import Registry, Resource

from conftest import FIXTURES, SiteDir
from xxgk.output import descriptor
from xxgk.portal.read import MemberError, check_descriptor
from xxgk_dev.devshots import QuietHandler, serve

pytestmark = pytest.mark.build  # every test reads the portal built once from its members

PORTAL = FIXTURES / "portal"
MEMBERS = {"czj": "测试市财政局", "jyj": "测试市教育局", "wjw": "测试市卫生健康委员会"}
ALL = 1000


def member_repo(root: Path, mid: str) -> SiteDir:
    """A member repository: its own folder, departments.yml, and the catalog the members share."""
    repo = root / mid
    shutil.copytree(PORTAL / "members" / mid, repo)
    shutil.copytree(PORTAL / "catalog", repo / "catalog")
    for own in ("departments.yml", "annual_figures.yml"):  # the catalog folder's files of this member
        if (repo / own).exists():
            shutil.move(repo / own, repo / "catalog" / own)
    return SiteDir(repo)


NEW_IN_3 = ("figures", "applications", "appeals")  # a year's tables 二（五）–（八）, 三 and 四
LATER_IN_3 = ("latest", "years", "doc_types")  # optional in format 3: a portal needs no catalog.json


def as_format_1(site_dir: Path) -> None:
    """What an older xxgk wrote: format 1 had no newest date per node, no annual report and
    no tables beyond 二's first part."""
    path = site_dir / descriptor.NAME
    doc = json.loads(path.read_text(encoding="utf-8"))

    def node(n):
        return {k: v for k, v in n.items() if k != "newest"} | {"children": [node(c) for c in n["children"]]}

    for later in LATER_IN_3:
        del doc[later]
    doc.update(
        format=1,
        xxgk_version="0.0.9",
        catalog=[node(n) for n in doc["catalog"]],
        annual=[{k: v for k, v in y.items() if k not in ("report", *NEW_IN_3)} for y in doc["annual"]],
    )
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portal")
    for mid in MEMBERS:
        result = member_repo(root, mid).build()
        assert result.code == 0, result.text
    as_format_1(root / "wjw" / "site")
    shutil.copytree(PORTAL / "portal", root / "portal")
    result = SiteDir(root / "portal").build()
    assert result.code == 0, result.text
    return root


def page(root: Path, url: str):
    return lhtml.fromstring((root / "portal" / "site" / url / "index.html").read_bytes())


def validator(name: str, folder: Path) -> jsonschema.Draft202012Validator:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.schema.json")}
    registry = Registry().with_resources((n, Resource.from_contents(s)) for n, s in schemas.items())
    return jsonschema.Draft202012Validator(schemas[name], registry=registry, format_checker=jsonschema.FormatChecker())


# ---------------------------------------------------------------- descriptors and schemas


def test_every_member_writes_a_descriptor_its_schema_accepts(built):
    for mid in ("czj", "jyj"):
        site = built / mid / "site"
        doc = json.loads((site / descriptor.NAME).read_text(encoding="utf-8"))
        validator(descriptor.SCHEMA_NAME, site).validate(doc)
        assert doc["format"] == descriptor.FORMAT and doc["agency"] == MEMBERS[mid]
        catalog = json.loads((site / "catalog.json").read_text())
        assert doc["search"]["shards"] and doc["items"] == catalog["count"]
        # the newest items a portal lists without reading catalog.json: the catalog's first ones
        assert [i["index_no"] for i in doc["latest"]] == [i["index_no"] for i in catalog["items"][: descriptor.LATEST]]
        assert doc["years"] == sorted({i["published"][:4] for i in catalog["items"] if i["published"]}, reverse=True)
    old = json.loads((built / "wjw" / "site" / descriptor.NAME).read_text(encoding="utf-8"))
    assert check_descriptor(old) == 1


def test_a_descriptor_whose_newest_items_disagree_with_its_count_is_not_read(built, tmp_path):
    """The portal reads no catalog.json; the descriptor's own newest items must agree with its
    count (a cheap check in place of the catalog.json one), else the kept copy serves."""
    import datetime as dt

    from xxgk.portal.config import Member
    from xxgk.portal.read import FRESH, MISSING, read

    site = tmp_path / "czj"
    site.mkdir()
    doc = json.loads((built / "czj" / "site" / descriptor.NAME).read_text(encoding="utf-8"))
    (site / descriptor.NAME).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    now = dt.datetime.now().astimezone()
    assert read(Member("czj", "czj", "czj/"), tmp_path, tmp_path / "kept", 5, now).state == FRESH
    doc["latest"] = doc["latest"][1:]
    (site / descriptor.NAME).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    got = read(Member("czj", "czj", "czj/"), tmp_path, tmp_path / "none", 5, now)
    assert got.state == MISSING and "写有 4 条，最新条目（latest）却有 3 条" in got.problems[0]


def test_a_tampered_descriptor_is_rejected_with_what_and_where(built):
    doc = json.loads((built / "czj" / "site" / descriptor.NAME).read_text(encoding="utf-8"))
    doc["catalog"][0]["count"] = "很多"
    with pytest.raises(MemberError, match=r"xxgk-site.json 不符合 xxgk-site.schema.json：catalog/0/count：'很多'"):
        check_descriptor(doc)
    with pytest.raises(MemberError, match="第 9 版.*请升级门户使用的 xxgk"):
        check_descriptor({**doc, "format": 9})


def test_the_portal_open_data_links_to_each_members_own(built):
    """Issue 34: the portal copies no item into its open data (a merged file grows with every
    member's items); it lists the members, each with its count and a link to its own."""
    site = built / "portal" / "site"
    doc = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    validator("portal-catalog.schema.json", site).validate(doc)
    assert doc["format"] == 2 and [m["id"] for m in doc["members"]] == list(MEMBERS)
    assert doc["count"] == sum(m["count"] for m in doc["members"]) == 15
    czj = doc["members"][0]
    assert czj["catalog"] == "czj/catalog.json" and czj["count"] == 4
    assert json.loads((built / "czj" / "site" / "catalog.json").read_text())["count"] == czj["count"]
    assert "items" not in czj and "czj/items/" not in json.dumps(doc)
    lines = (site / "catalog.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + len(MEMBERS) and lines[1].startswith("czj,测试市财政局,4,")
    assert lines[1].endswith(",czj/catalog.json,czj/catalog.csv")


# ---------------------------------------------------------------- pages


def test_home_lists_the_latest_items_of_every_member_linking_to_their_own_pages(built):
    home = page(built, "")
    links = [
        (a.text_content(), a.get("href"))
        for a in home.xpath("//*[contains(@class, 'xx-home__latest')]//*[@class='xx-list__title']/a")
    ]
    assert links[0] == ("关于做好2025年部门预算编制工作的通知", "czj/items/11990100MB00000031/2024-00003/")
    # wjw's descriptor is of format 1, which carries no newest items: it has none on the home
    assert {h.split("/")[0] for _, h in links} == set(MEMBERS) - {"wjw"}
    assert not (built / "portal" / "site" / "items").exists()  # no item page is copied


def test_merged_catalog_sums_the_members_node_by_node(built):
    tree = page(built, "catalog/")
    node = tree.xpath("//*[@id='n-gfxwj']")[0]
    assert node.xpath(".//*[contains(@class, 'xx-tree__count')]")[0].text_content() == "4"  # 1 + 2 + 1
    shares = {a.text_content(): a.get("href") for a in node.xpath(".//*[@class='xx-ptree__shares']//a")}
    assert shares["测试市教育局"] == "../jyj/catalog/gfxwj/"
    member = page(built, "members/wjw/")
    assert "11990100MB00000057" in member.text_content()
    assert member.xpath("//a[@href='../../wjw/']")


def stats_of(built: Path, mid: str, year: int) -> dict:
    result = SiteDir(built / mid).xxgk("stats", ".", "--year", str(year), "--format", "json")
    assert result.code == 0, result.text
    return json.loads(result.out)


@pytest.mark.cli
@pytest.mark.parametrize("year", [2023, 2024])
def test_merged_annual_table_is_the_sum_of_the_members_xxgk_stats(built, year):
    from xxgk.core.stats import COLUMNS, TABLE_TYPES

    stats = page(built, "stats/")
    own = {mid: stats_of(built, mid, year) for mid in MEMBERS}
    for doc_type in TABLE_TYPES:
        for column in COLUMNS:
            cell = stats.xpath(f"//*[@id='y{year}-sum']//td[@data-figure='{doc_type}/{column}']")[0]
            assert int(cell.text_content()) == sum(own[m][doc_type][column] for m in MEMBERS), (doc_type, column)
    for mid in MEMBERS:  # each member's share is shown beside the sum, linking to its own figures
        row = stats.xpath(f"//*[@id='y{year}-members']//tr[@data-member='{mid}']")[0]
        shown = [td.text_content() for td in row.xpath(".//td")]
        figures = [own[mid][t][c] for t in TABLE_TYPES for c in COLUMNS]
        assert shown == [str(n) for n in figures] or (shown == ["—"] * 6 and not any(figures)), (
            mid
        )  # —: no items that year
        assert row.xpath(".//a")[0].get("href") == f"../{mid}/stats/#y{year}"
    assert own["jyj"]["行政规范性文件"]["本年废止件数"] == (1 if year == 2024 else 0)


@pytest.mark.cli
@pytest.mark.parametrize("year", [2023, 2024])
def test_merged_tables_二_三_四_are_the_sums_of_the_members_xxgk_stats(built, year):
    """Issue 32: the portal's 信息公开统计 shows the whole 年报 — table 二's 许可/处罚/强制/收费,
    tables 三 and 四 — each cell the sum of what the members' own `xxgk stats --year` gives,
    over the members that give it; the others (no ledger, no figures, an older descriptor)
    are named, not counted as 0."""
    from xxgk.core.ledger import APPEAL_KINDS
    from xxgk.core.report_tables import COLUMNS, FIGURES, OUTCOME_COLUMNS, ROWS, row_label

    stats = page(built, "stats/")
    own = {
        mid: json.loads(SiteDir(built / mid).xxgk("stats", ".", "--year", str(year), "--format", "json").out)[
            "年报表格"
        ]
        for mid in MEMBERS
    }
    for f in FIGURES:
        given = [own[m]["主动公开"][f] for m in MEMBERS if own[m]["主动公开"][f] is not None]
        cell = stats.xpath(f"//*[@id='y{year}-figures']//td[@data-figure='{f}']")[0].text_content()
        assert cell == (f"{round(sum(given), 4):g}" if given else "—"), f
    ledgers = [m for m in MEMBERS if "依申请公开" in own[m]]
    assert ledgers == ["czj"]  # the fixtures: czj keeps a ledger, jyj does not, wjw's format 1 cannot say
    for r in ROWS:
        for c in COLUMNS:
            cell = stats.xpath(f"//*[@id='y{year}-applications']//td[@data-figure='{r}/{c}']")[0]
            assert int(cell.text_content()) == sum(own[m]["依申请公开"][row_label(r)][c] for m in ledgers), (r, c)
    for k in APPEAL_KINDS:
        for c in OUTCOME_COLUMNS:
            cell = stats.xpath(f"//*[@id='y{year}-appeals']//td[@data-figure='{k}/{c}']")[0]
            assert int(cell.text_content()) == sum(own[m]["复议诉讼"][k][c] for m in ledgers), (k, c)
    note = stats.xpath(f"//*[@id='y{year}-without-ledger']")[0].text_content()
    assert "测试市教育局、测试市卫生健康委员会" in note
    jyj = stats.xpath(f"//*[@id='y{year}-applications-members']//tr[@data-member='jyj']//td")
    assert {td.text_content() for td in jyj} == {"未提供"}
    czj = [
        td.text_content() for td in stats.xpath(f"//*[@id='y{year}-applications-members']//tr[@data-member='czj']//td")
    ]
    if year == 2024:  # counted by hand from the three case files: 3 received, 2 answered, 1 carried on; one 复议 维持
        assert czj == ["3", "0", "2", "1", "1", "0", "0"]
        assert stats.xpath("//*[@id='y2024-figures']//td[@data-figure='行政事业性收费']")[0].text_content() == "18.75"


@pytest.mark.cli
def test_a_member_of_format_2_is_read_without_its_tables_and_named(portal_copy):
    """A member built before format 3 gives no 许可/处罚/强制/收费 figures and no tables 三, 四:
    the portal reads it, leaves it out of those sums (not as 0), names it under them, and the
    watch asks for an upgrade (W604)."""
    path = portal_copy / "jyj" / "site" / descriptor.NAME
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["format"] = 2
    for later in LATER_IN_3:
        del doc[later]
    doc["annual"] = [{k: v for k, v in y.items() if k not in NEW_IN_3} for y in doc["annual"]]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    repo = SiteDir(portal_copy / "portal")
    result = repo.build()
    assert result.code == 0, result.text
    stats = page(portal_copy, "stats/")
    licences = stats.xpath("//*[@id='y2024-figures']//tr[th[starts-with(., '行政许可')]]/td")
    assert [td.text_content() for td in licences] == ["120", "测试市教育局、测试市卫生健康委员会"]
    status = json.loads(repo.xxgk("portal-status", ".", "--format", "json").out)
    w604 = [f for f in status["findings"] if f["code"] == "W604" and f["member"] == "jyj"]
    assert w604 and "第 2 版" in w604[0]["message"] and "表三、表四" in w604[0]["message"]


# ---------------------------------------------------------------- watch


@pytest.mark.cli
def test_the_watch_names_the_stale_member_and_the_old_format(built):
    result = SiteDir(built / "portal").xxgk("portal-status", ".", "--format", "json")
    assert result.code == 1, result.text
    doc = json.loads(result.out)
    codes = {m["id"]: {f["code"] for f in m["findings"]} for m in doc["members"]}
    assert "W605" in codes["wjw"] and "W605" not in codes["czj"] | codes["jyj"]
    assert "W604" in codes["wjw"] and "W604" not in codes["czj"]
    old = next(f for f in doc["findings"] if f["code"] == "W604")
    assert "第 1 版" in old["message"] and "升级 xxgk" in old["message"]
    text = SiteDir(built / "portal").xxgk("portal-status", ".")
    assert "wjw  测试市卫生健康委员会：需处理" in text.out and "W605 最新条目发布于 2024-03-01" in text.out
    watch = page(built, "watch/")
    assert "W605" in watch.xpath("//*[@id='m-wjw']")[0].text_content()


@pytest.mark.cli
def test_the_watch_names_annual_reports_missing_after_31_january(built):
    before = json.loads(
        SiteDir(built / "portal").xxgk("portal-status", ".", "--format", "json", "--as-of", "2025-01-31").out
    )
    after = json.loads(
        SiteDir(built / "portal").xxgk("portal-status", ".", "--format", "json", "--as-of", "2025-02-01").out
    )
    assert not [f for f in before["findings"] if f["code"] == "W609"]
    late = {f["member"] for f in after["findings"] if f["code"] == "W609"}
    assert late == {"czj", "jyj"}  # wjw's format 1 cannot say (W604 names it instead)


@pytest.mark.cli
def test_nodes_past_their_periodic_deadline_are_named(built):
    doc = json.loads(SiteDir(built / "portal").xxgk("portal-status", ".", "--format", "json").out)
    late = [f for f in doc["findings"] if f["code"] == "W608"]
    assert late == []  # format 2 members updated 通知公告 within the quarter
    result = SiteDir(built / "portal").xxgk("portal-status", ".", "--format", "json", "--as-of", "2025-04-15")
    late_by_member = {f["member"]: f["message"] for f in json.loads(result.out)["findings"] if f["code"] == "W608"}
    assert set(late_by_member) == {"czj", "jyj"} and "通知公告" in late_by_member["czj"]


# ---------------------------------------------------------------- members that cannot be read


@pytest.fixture
def portal_copy(built, tmp_path) -> Path:
    """The built members and the portal (with the copies it kept) in a fresh folder."""
    root = tmp_path / "area"
    for name in (*MEMBERS, "portal"):
        shutil.copytree(built / name, root / name, symlinks=True)
    return root


@pytest.mark.cli
def test_a_missing_member_folder_leaves_the_portal_building_with_the_last_good_copy(portal_copy):
    shutil.rmtree(portal_copy / "jyj" / "site")
    result = SiteDir(portal_copy / "portal").build()
    assert result.code == 0, result.text
    assert "门户成员 jyj：找不到成员站点文件夹" in result.err and "保存的副本" in result.err
    member = page(portal_copy, "members/jyj/")
    assert "本次未能读取该单位的数据" in member.text_content()
    assert "测试市中小学学籍管理实施细则" in member.text_content()
    status = SiteDir(portal_copy / "portal").xxgk("portal-status", ".", "--format", "json")
    assert "W601" in {f["code"] for f in json.loads(status.out)["findings"] if f["member"] == "jyj"}


def test_a_member_without_a_copy_is_left_out_with_the_reason(portal_copy):
    repo = SiteDir(portal_copy / "portal")
    repo.edit(
        "mkdocs.yml",
        "          - {id: wjw",
        "          - {id: xyz, source: ../xyz/site, url: xyz/}\n          - {id: wjw",
    )
    (portal_copy / "czj" / "site" / descriptor.NAME).write_text("{ not json", encoding="utf-8")
    shutil.rmtree(repo.path / ".cache" / "xxgk" / "portal" / "czj")
    result = repo.build()
    assert result.code == 0, result.text
    members = page(portal_copy, "members/").text_content()
    assert "xyz：找不到成员站点文件夹" in members and "czj：xxgk-site.json 不是有效的 JSON" in members
    assert not (portal_copy / "portal" / "site" / "members" / "czj").exists()


def test_member_text_is_shown_as_text(portal_copy):
    path = portal_copy / "czj" / "site" / descriptor.NAME
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["latest"][0]["title"] = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = SiteDir(portal_copy / "portal").build()
    assert result.code == 0, result.text
    home = (portal_copy / "portal" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in home and "<img src=x" not in home
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home


def test_member_text_with_control_or_bidi_characters_is_cleaned_and_named(portal_copy):
    """The characters a site's own text may not hold (core/safetext, E113 there: controls,
    bidi overrides, U+FFFE) are removed from what a member publishes, and the watch names
    where (W611), so one stray character neither reverses a title on the portal nor breaks it."""
    site = portal_copy / "czj" / "site"
    doc = json.loads((site / descriptor.NAME).read_text(encoding="utf-8"))
    doc["agency"] = "测试市\u202e局政财"
    doc["catalog"][0]["name"] += "\x07"
    doc["latest"][0]["title"] = "关于\ufffe开展\u200b工作的通知"
    (site / descriptor.NAME).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    repo = SiteDir(portal_copy / "portal")
    result = repo.build()
    assert result.code == 0, result.text
    built = "".join(p.read_text(encoding="utf-8") for p in (repo.path / "site").rglob("*.html"))
    built += (repo.path / "site" / "catalog.json").read_text(encoding="utf-8")
    assert not [c for c in ("\u202e", "\x07", "\ufffe", "\u200b") if c in built]
    assert "测试市局政财" in built and "关于开展工作的通知" in built
    status = json.loads(repo.xxgk("portal-status", ".", "--format", "json").out)
    w611 = [f for f in status["findings"] if f["code"] == "W611"]
    assert [f["member"] for f in w611] == ["czj"]
    message = w611[0]["message"]
    assert "xxgk-site.json:/agency：U+202E（从右到左覆盖）" in message and "xxgk-site.json:/latest/0/title" in message


# ---------------------------------------------------------------- search in Chromium


@pytest.fixture(scope="module")
def served(built):
    """The portal at /, each member under its sub-path (the same-origin hosting of docs/portal.md)."""
    www = built / "www"
    www.mkdir()
    for entry in (built / "portal" / "site").iterdir():
        (www / entry.name).symlink_to(entry)
    for mid in MEMBERS:
        (www / mid).symlink_to(built / mid / "site")
    server = serve(www)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def api(browser, served):
    tab = browser.new_page()
    tab.goto(served + "search/")
    tab.wait_for_function("typeof window.xxgk?.search === 'function'")
    yield tab
    tab.close()


def search(tab, query, **options) -> dict:
    return tab.evaluate("([q, o]) => window.xxgk.search(q, o)", [query, {"limit": ALL, **options}])


def members_of(result) -> set[str]:
    return {r["url"].strip("/").split("/")[0] for r in result["results"]}


def test_portal_search_finds_the_items_of_every_member(api):
    found = search(api, "管理办法")
    assert members_of(found) == set(MEMBERS)
    titles = {r["title"] for r in found["results"]}
    assert {"测试市财政专项资金管理办法", "测试市中小学学籍管理办法", "测试市基层医疗卫生机构管理办法"} <= titles


@pytest.mark.parametrize("mid", list(MEMBERS))
def test_the_member_filter_keeps_one_members_items(api, mid):
    found = search(api, "管理办法", filters={"member": MEMBERS[mid]})
    assert found["count"] >= 1 and members_of(found) == {mid}


def test_exact_doc_no_and_index_no_look_ups_cross_members(api):
    by_doc_no = search(api, "测卫规〔2024〕1号")
    assert by_doc_no["results"][0]["url"] == "/wjw/items/11990100MB00000057/2024-00001/"
    by_index_no = search(api, "11990100MB00000031/2024-00003")
    assert by_index_no["results"][0]["title"] == "关于做好2025年部门预算编制工作的通知"


class _HeldWasm(QuietHandler):
    """Holds the portal's WebAssembly until as many instances as members have asked for it
    (or 2 s pass), so that shards starting together get it at one moment: the race of a slow
    network. Counts any member's WebAssembly asked for, which the portal must never load."""

    lock = threading.Lock()
    asked = 0
    members_asked = 0
    everyone = threading.Event()

    def do_GET(self):
        if re.fullmatch(r"/\w+/pagefind/wasm\.\w+\.pagefind", self.path):
            type(self).members_asked += 1
        if re.fullmatch(r"/pagefind/wasm\.\w+\.pagefind", self.path):
            with self.lock:
                type(self).asked += 1
                if self.asked >= len(MEMBERS):
                    self.everyone.set()
            self.everyone.wait(timeout=2)
        super().do_GET()


def test_members_opened_together_share_one_webassembly_module(browser, built, served):
    """Every shard's Pagefind instance shares the runtime's one module: were a second copy
    loaded, the index made first would point into the lost one and its member's matches vanish."""
    server = serve(built / "www", _HeldWasm)  # what `served` serves
    tab = browser.new_page()
    trouble: list[str] = []
    tab.on("console", lambda m: trouble.append(m.text) if m.type in ("warning", "error") else None)
    try:
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
        tab.wait_for_function("typeof window.xxgk?.search === 'function'")
        assert members_of(search(tab, "管理办法")) == set(MEMBERS)
        assert not trouble
    finally:
        tab.close()
        server.shutdown()
    assert _HeldWasm.asked >= 1 and _HeldWasm.members_asked == 0


def test_the_portal_runs_only_its_own_script_and_reads_members_as_data(browser, served):
    """Issue 30: the portal's search takes the members' index files as data (mergeIndex into
    its own Pagefind runtime); a member's pagefind.js or WebAssembly is never fetched, and
    every script the page loads is the portal's own."""
    tab = browser.new_page()
    scripts: list[str] = []
    member_files: list[str] = []
    tab.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    tab.on("request", lambda r: member_files.append(r.url) if re.search(r"/\w+/pagefind/", r.url) else None)
    tab.goto(served + "search/")
    tab.wait_for_function("typeof window.xxgk?.search === 'function'")
    found = search(tab, "管理办法")
    tab.close()
    assert members_of(found) == set(MEMBERS)
    assert scripts and all(u.startswith((served + "assets/", served + "pagefind/pagefind.js")) for u in scripts), (
        scripts
    )
    assert member_files and not [u for u in member_files if re.search(r"/pagefind/(pagefind[\w-]*\.js|wasm\.)", u)]


def test_the_search_page_offers_the_member_filter(browser, served):
    tab = browser.new_page()
    tab.goto(served + "search/?q=管理办法&member=" + MEMBERS["jyj"])
    tab.wait_for_selector(".xx-sresult")
    hrefs = tab.eval_on_selector_all(".xx-sresult__title a", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("/jyj/items/") for h in hrefs)
    options = tab.eval_on_selector_all("#xx-f-member option", "els => els.map(o => o.textContent)")
    assert options == ["全部", *MEMBERS.values()]
    tab.close()


def test_members_are_read_over_http_and_a_silent_one_times_out(built, tmp_path):
    import datetime as dt
    import socket

    from xxgk.portal.config import Member
    from xxgk.portal.read import CACHED, FRESH, read

    now = dt.datetime.now().astimezone()
    server = serve(built / "czj" / "site")
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        got = read(Member("czj", address, address), tmp_path, tmp_path / "kept", 5, now)
    finally:
        server.shutdown()
    assert got.state == FRESH and got.site["agency"] == "测试市财政局" and len(got.site["latest"]) == 4
    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        address = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        late = read(Member("czj", address, address), tmp_path, tmp_path / "kept", 0.5, now)
    finally:
        silent.close()
    assert late.state == CACHED and "超时（0.5 秒）" in late.problems[0]


def test_portal_pages_pass_the_accessibility_gate(browser, served):
    """The sweep of every page kind (tests/reading.py: axe, spacing, sizes, targets, Tab) in both
    modes at 390 and 1280 px."""
    from reading import AXE, audit

    if not AXE.is_file():
        pytest.fail("axe-core 未安装：运行 scripts/setup --browser（它执行 npm ci）")
    tab = browser.new_page()
    found = [
        p
        for url in ("", "catalog/", "members/", "members/jyj/", "stats/", "search/?q=管理办法", "watch/")
        for p in audit(tab, served, url)
    ]
    tab.close()
    assert not found, "\n".join(found)


def test_a_search_for_one_member_downloads_that_members_shards_only(browser, served):
    tab = browser.new_page()
    tab.goto(served + "search/")
    tab.wait_for_function("typeof window.xxgk?.search === 'function'")
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url))
    found = search(tab, "管理办法", filters={"member": MEMBERS["czj"]})
    tab.close()
    own = served + "pagefind/"  # the portal's runtime and base index
    index_files = {u.split("/")[3] for u in asked if "/pagefind/" in u and not u.startswith(own)}
    assert members_of(found) == {"czj"} and index_files == {"czj"}


def test_a_member_that_cannot_be_searched_is_named_and_the_others_still_answer(browser, served):
    tab = browser.new_page()
    tab.route("**/wjw/pagefind/**", lambda route: route.abort())  # the member's server is down
    tab.goto(served + "search/?q=管理办法")
    tab.wait_for_function("document.querySelector('#xx-sstatus').textContent.includes('共找到')")
    status = tab.inner_text("#xx-sstatus")
    hrefs = tab.eval_on_selector_all(".xx-sresult__title a", "els => els.map(a => a.getAttribute('href'))")
    tab.close()
    assert "测试市卫生健康委员会的文件暂时无法检索，结果可能不全" in status
    assert {h.split("/")[1] for h in hrefs} == {"czj", "jyj"}


class _Cors(QuietHandler):
    """A member on its own host, sending CORS headers for its files as docs/portal.md says."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def _www(root: Path, portal_site: Path | None, members: dict[str, Path]) -> Path:
    www = root / "www"
    www.mkdir(parents=True)
    if portal_site is not None:
        for entry in portal_site.iterdir():
            (www / entry.name).symlink_to(entry)
    for mid, site in members.items():
        (www / mid).symlink_to(site)
    return www


def _search_page(tab, url: str) -> tuple[str, set[str]]:
    """The search page's status line and the members its results link to, with the page's
    own Content-Security-Policy at work (no playwright predicate, which it would refuse)."""
    tab.goto(url)
    tab.locator("#xx-sstatus", has_text="共找到").wait_for(timeout=30000)
    hrefs = tab.eval_on_selector_all(".xx-sresult__title a", "els => els.map(a => a.href)")
    return tab.inner_text("#xx-sstatus"), {re.sub(r"^https?://[^/]+/", "", h).split("/")[0] for h in hrefs}


def test_members_on_other_hosts_are_searched_under_a_policy_allowing_them_data_only(browser, portal_copy):
    """The portal's CSP <meta> lets a member on another host in for its index files
    (connect-src) and for nothing else: no script-src. Search answers from every member with
    that policy enforced; a page importing a member's pagefind.js would be refused and lose them."""
    members = serve(_www(portal_copy / "hosts", None, {m: portal_copy / m / "site" for m in MEMBERS}), _Cors)
    host = f"http://127.0.0.1:{members.server_address[1]}"
    repo = SiteDir(portal_copy / "portal")
    for mid in MEMBERS:
        repo.edit("mkdocs.yml", f"url: {mid}/", f"url: {host}/{mid}/")
    result = repo.build()
    assert result.code == 0, result.text
    csp = page(portal_copy, "search/").xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert host not in script_src and f"connect-src 'self' {host}" in csp
    portal = serve(repo.path / "site")
    tab = browser.new_page(bypass_csp=False)
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        status, found = _search_page(tab, f"http://127.0.0.1:{portal.server_address[1]}/search/?q=管理办法")
    finally:
        tab.close()
        portal.shutdown()
        members.shutdown()
    assert found == set(MEMBERS) and "无法检索" not in status and refused == []


def _jyj_left_out(portal_copy: Path, name: str, change) -> tuple[SiteDir, list[dict]]:
    """jyj's published `name` changed by `change(doc)`, the portal built: jyj's shards are left
    out of the merged search (its manifest's left_out) and the watch names it with W610."""
    path = portal_copy / "jyj" / "site" / name
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    repo = SiteDir(portal_copy / "portal")
    result = repo.build()
    assert result.code == 0, result.text
    manifest = json.loads((repo.path / "site" / "pagefind" / "manifest.json").read_text(encoding="utf-8"))
    assert [x["member"] for x in manifest["left_out"]] == [MEMBERS["jyj"]]
    assert {s["filter"]["member"] for s in manifest["shards"]} == {MEMBERS["czj"], MEMBERS["wjw"]}
    status = json.loads(repo.xxgk("portal-status", ".", "--format", "json").out)
    w610 = [f for f in status["findings"] if f["code"] == "W610"]
    assert [f["member"] for f in w610] == ["jyj"]
    return repo, w610


def test_a_member_whose_index_the_portal_cannot_merge_is_left_out_and_said(browser, portal_copy):
    """A member built by another Pagefind version (an older xxgk): its index would load into
    the portal's runtime as garbage, so its shards are not merged; the watch (W610) and the
    search page name it, and the other members still answer."""
    repo, w610 = _jyj_left_out(portal_copy, descriptor.NAME, lambda doc: doc["search"].update(pagefind_version="1.1.0"))
    assert "Pagefind 1.1.0" in w610[0]["message"]
    server = serve(_www(portal_copy, repo.path / "site", {m: portal_copy / m / "site" for m in MEMBERS}))
    tab = browser.new_page()
    try:
        said, found = _search_page(tab, f"http://127.0.0.1:{server.server_address[1]}/search/?q=管理办法")
    finally:
        tab.close()
        server.shutdown()
    assert found == {"czj", "wjw"}
    assert "测试市教育局的文件不在本次检索范围内：其搜索索引由 Pagefind 1.1.0 生成" in said


def test_a_member_whose_index_is_cut_into_other_words_is_left_out_and_said(portal_copy):
    """A member built before its words were characters (no "words" in its search manifest,
    search/text.py WORDS): the portal's queries would find nothing there, silently; so its
    shards are left out and the watch (W610) names it, as for another Pagefind version."""
    _jyj_left_out(portal_copy, "pagefind/manifest.json", lambda doc: doc.pop("words"))


def portal_over(root: Path, members: str) -> SiteDir:
    """The fixture portal at `root` with these `members:` lines instead of its own."""
    shutil.copytree(PORTAL / "portal", root)
    site = SiteDir(root)
    yml = site.read("mkdocs.yml")
    site.write("mkdocs.yml", yml.replace(yml[yml.index("        members:") : yml.index("nav:")], members))
    return site


@pytest.mark.cli
def test_a_province_counts_a_city_portals_sites_once_and_watches_them_under_it(portal_copy):
    """Levels (portal/levels.py): the city portal publishes its sites; the province lists the city
    and, again, its 财政局 (at another address, the same site_url): the 财政局 counts once."""
    own = "https://czj.example.gov.cn/"
    path = portal_copy / "czj" / "site" / descriptor.NAME
    path.write_text(path.read_text(encoding="utf-8").replace('"site_url": null', f'"site_url": "{own}"'), "utf-8")
    city = SiteDir(portal_copy / "portal")
    assert city.build().code == 0
    published = json.loads((city.path / "site" / "xxgk-portal.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in published["sites"]] == [["czj"], ["jyj"], ["wjw"]]
    assert published["sites"][0]["site_url"] == own
    province = portal_over(
        portal_copy / "province",
        "        members:\n"
        "          - {id: city, source: ../portal/site, url: city/}\n"
        f"          - {{id: czj, source: ../czj/site, url: '{own}'}}\n",
    )
    result = province.build()
    assert result.code == 0, result.text
    counted = lhtml.fromstring((province.path / "site" / "stats" / "index.html").read_bytes())
    by_city = lhtml.fromstring((city.path / "site" / "stats" / "index.html").read_bytes())
    years = [t.get("id") for t in by_city.xpath("//table[substring(@id, string-length(@id) - 3) = '-sum']")]
    assert years
    for table in years:  # every sum the same as the city's: the 财政局 is not counted twice
        cells = [td.text_content() for td in by_city.xpath(f"//*[@id='{table}']//td")]
        assert [td.text_content() for td in counted.xpath(f"//*[@id='{table}']//td")] == cells
        rows = counted.xpath(f"//*[@id='{table[:-4]}-members']//tr[@data-member]/@data-member")
        assert sorted(rows) == ["city/jyj", "city/wjw", "czj"]
    watch = lhtml.fromstring((province.path / "site" / "watch" / "index.html").read_bytes())
    below = watch.xpath("//*[@id='m-city']")[0].text_content()
    assert "下级门户，3 个站点" in below
    assert "测试市卫生健康委员会" in below and "（第 2 级 city/wjw）" in below and "W605" in below
    status = json.loads(province.xxgk("portal-status", ".", "--format", "json").out)
    twice = [f for f in status["findings"] if f["code"] == "W752"]
    assert len(twice) == 1 and own in twice[0]["message"] and "（czj）" in twice[0]["message"]
    assert [s["path"] for s in status["portals"][0]["sites"]] == ["city/czj", "city/jyj", "city/wjw"]
    text = province.xxgk("portal-status", ".").out
    assert "city  测试市政府信息公开平台（下级门户，3 个站点）：需处理" in text
    assert "W605 测试市政府信息公开平台 › 测试市卫生健康委员会：（第 2 级 city/wjw）" in text
    # the city's server down during a build: its sites are counted from the last good copy, named
    (city.path / "site" / "xxgk-portal.json").rename(city.path / "site" / "away.json")
    result = province.build()
    assert result.code == 0, result.text
    status = json.loads(province.xxgk("portal-status", ".", "--format", "json").out)
    assert [s["path"] for s in status["portals"][0]["sites"]] == ["city/czj", "city/jyj", "city/wjw"]
    stale = [f for f in status["findings"] if f["code"] == "W601" and f["member"] == "city"]
    assert len(stale) == 1 and "保存的副本" in stale[0]["message"]
    counted = lhtml.fromstring((province.path / "site" / "stats" / "index.html").read_bytes())
    rows = counted.xpath(f"//*[@id='{years[0][:-4]}-members']//tr[@data-member]/@data-member")
    assert sorted(rows) == ["city/jyj", "city/wjw", "czj"]
    shutil.rmtree(province.path / ".cache" / "xxgk" / "portal" / "city")  # no copy: left out and said
    status = json.loads(province.xxgk("portal-status", ".", "--format", "json").out)
    assert not status["portals"] and [f["code"] for f in status["findings"] if f["member"] == "city"] == ["W602"]


@pytest.mark.cli
def test_portals_that_list_each_other_drop_what_came_back_and_say_so(portal_copy):
    """A cycle (portal/levels.py W751): the city lists the province that lists it; the sites that
    came back through the city are not counted again, by each site's `via` (portals' site_url)."""
    city = SiteDir(portal_copy / "portal")
    city.edit("mkdocs.yml", "site_name:", "site_url: https://city.example.gov.cn/\nsite_name:")
    city.edit(
        "mkdocs.yml",
        "        members:\n",
        "        members:\n          - {id: sheng, source: ../province/site, url: 'https://sheng.example.gov.cn/'}\n",
    )
    province = portal_over(
        portal_copy / "province", "        members:\n          - {id: city, source: ../portal/site, url: city/}\n"
    )
    province.edit("mkdocs.yml", "site_name:", "site_url: https://sheng.example.gov.cn/\nsite_name:")
    assert city.build().code == 0  # the province is not built yet: left out (W602)
    assert province.build().code == 0
    assert city.build().code == 0
    status = json.loads(city.xxgk("portal-status", ".", "--format", "json").out)
    back = [f for f in status["findings"] if f["code"] == "W751"]
    assert back and all("经由本门户又回到本门户" in f["message"] for f in back)
    published = json.loads((city.path / "site" / "xxgk-portal.json").read_text(encoding="utf-8"))
    assert sorted("/".join(s["path"]) for s in published["sites"]) == ["czj", "jyj", "wjw"]
    # a lower portal's file in a bad shape: its bad sites are named, never linked (W753)
    path = city.path / "site" / "xxgk-portal.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["sites"][0]["url"] = "javascript://%0aalert(1)"
    doc["sites"][1]["annual"] = [{"year": "二〇二四"}]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    status = json.loads(province.xxgk("portal-status", ".", "--format", "json").out)
    bad = [f for f in status["findings"] if f["code"] == "W753"]
    assert len(bad) == 1 and "有 2 个站点不符合格式" in bad[0]["message"]
    assert [s["path"] for s in status["portals"][0]["sites"]] == ["city/wjw"]
