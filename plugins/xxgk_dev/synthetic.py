"""A synthetic site repository of N items over the demo catalog, for benchmarks and scale tests.

Deterministic for a seed: the same (N, seed) writes the same bytes. Items spread over
ten years and every doc_type; each 规章/行政规范性文件 has a 政策解读, about a third of
them are later revised (old version 已修订, new one `replaces` it) and some are
abolished by a 清理决定 or expire, so about 10% of items end up not in force.
Bodies are Chinese prose of varying length assembled from a phrase bank; some items
carry a small PDF attachment. The result passes `xxgk check` with warnings only
(the generated annual reports carry no statistics table).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FIRST_YEAR, YEARS = 2016, 10
AS_OF = dt.date(FIRST_YEAR + YEARS, 1, 1)  # every date in the site lies before it
DEMO_ROOT = Path(__file__).resolve().parents[2]  # the repository holding the demo catalog/

# Share of items per doc_type (interpretations and revisions are added on top of policies).
MIX = (("规章", 0.03), ("行政规范性文件", 0.08), ("其他文件", 0.16), ("征求意见", 0.02), ("一般信息", 0.53))
DOC_NODE = {
    "规章": "gz",
    "行政规范性文件": "gfxwj",
    "其他文件": "qtwj",
    "政策解读": "zcjd",
    "征求意见": "zqyj",
    "年度报告": "ndbg",
}
REVISE_SHARE = 0.30  # policies revised later by a new version
ABOLISH_SHARE = 0.25  # policies and 其他文件 abolished by a clean-up decision
ATTACH_SHARE = 0.05

ORGS = (
    "市人民政府",
    "市政府办公室",
    "市发展和改革委员会",
    "市财政局",
    "市教育局",
    "市卫生健康委员会",
    "市生态环境局",
    "市市场监督管理局",
    "市住房和城乡建设局",
    "市人力资源和社会保障局",
    "市司法局",
    "市民政局",
    "各区人民政府",
    "市有关部门",
)
SUBJECTS = (
    "政务公开",
    "营商环境",
    "城市更新",
    "老旧小区改造",
    "义务教育",
    "基层医疗卫生",
    "养老服务",
    "食品安全",
    "大气污染防治",
    "河湖长制",
    "就业创业",
    "社会救助",
    "数字政府",
    "公共资源交易",
    "安全生产",
    "农村人居环境",
    "中小企业融资",
    "住房保障",
    "文化旅游",
    "交通运输",
)
ACTS = ("进一步健全", "全面推进", "持续深化", "加快建立", "统筹做好", "切实加强", "稳步推进", "规范开展")
OBJECTS = (
    "工作机制",
    "监督管理",
    "服务体系",
    "考核评价制度",
    "信息共享平台",
    "资金保障",
    "标准规范",
    "应急处置预案",
    "责任清单",
    "公开目录",
)
PURPOSES = (
    "切实保障人民群众的知情权、参与权和监督权",
    "不断提升政府治理能力和服务水平",
    "推动经济社会高质量发展",
    "为企业和群众办事提供便利",
    "确保各项任务按期完成",
    "形成上下联动、协同推进的工作格局",
)
NUMERALS = "一二三四五六七八九十"
ABOLISH_REASONS = ("上位法已修改", "已被新规定替代", "调整对象已消失", "工作任务已完成")
FORMS = ("文字解读", "图文解读", "答记者问", "专家解读", "新闻发布会")


@dataclass
class Draft:
    """One item before it is written: front matter as a dict plus what the body needs."""

    seq: int
    meta: dict
    year: int
    publisher: str
    attach: bool = False
    extra: dict = field(default_factory=dict)


def generate(n: int, target: Path, seed: int = 1, member: int | None = None, realistic: bool = False) -> int:
    """Write a site repository with n items into `target` (which must not exist). Returns n.
    `member` k makes the k-th of a portal's members: its own agency name and org codes.
    `realistic`: bodies, mix and tables shaped like real pages (REALISTIC), not like the demo."""
    rng = random.Random(seed)
    catalog = DEMO_ROOT / "catalog"
    departments = yaml.safe_load((catalog / "departments.yml").read_text(encoding="utf-8"))
    nodes = _leaves(yaml.safe_load((catalog / "catalog.yml").read_text(encoding="utf-8")))
    topics = _topic_names(yaml.safe_load((catalog / "topics.yml").read_text(encoding="utf-8")))
    target.mkdir(parents=True)
    shutil.copytree(catalog, target / "catalog")
    agency = "云溪市人民政府"
    if member is not None:
        agency = member_agency(member)
        for d in departments:  # the region digits of the code make each member's codes its own
            d["org_code"] = f"{d['org_code'][:4]}{member:04d}{d['org_code'][8:]}"
        (target / "catalog" / "departments.yml").write_text(
            yaml.safe_dump(departments, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    _write_site_files(target, agency)
    mix = REALISTIC_MIX if realistic else MIX
    drafts = _plan(n, rng, {d["id"]: (d["org_code"], d["name"]) for d in departments}, nodes, topics, mix)
    for draft in drafts:
        _write_item(target, draft, random.Random(seed * 1_000_003 + draft.seq), realistic)
    return len(drafts)


MEMBER_UNITS = (
    "发展和改革委员会",
    "教育局",
    "财政局",
    "卫生健康委员会",
    "生态环境局",
    "市场监督管理局",
    "住房和城乡建设局",
    "人力资源和社会保障局",
    "司法局",
    "民政局",
    "交通运输局",
    "农业农村局",
    "水务局",
    "商务局",
    "文化和旅游局",
    "应急管理局",
    "审计局",
    "统计局",
    "医疗保障局",
    "退役军人事务局",
    "自然资源和规划局",
    "城市管理局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "体育局",
    "林业局",
    "粮食和物资储备局",
    "政务服务和数据管理局",
    "信访局",
)


def member_agency(k: int) -> str:
    unit = MEMBER_UNITS[k % len(MEMBER_UNITS)]
    return f"云溪市{unit}" + (f"（{k // len(MEMBER_UNITS) + 1}）" if k >= len(MEMBER_UNITS) else "")


def _leaves(raw: list, department: str | None = None) -> list[tuple[str, str | None]]:
    """(node id, responsible department) for every catalog node without children."""
    found: list[tuple[str, str | None]] = []
    for node in raw:
        dep = node.get("department") or department
        found += _leaves(node["children"], dep) if node.get("children") else [(node["id"], dep)]
    return found


def _topic_names(raw: list) -> list[str]:
    names = []
    for entry in raw:
        names += [entry] if isinstance(entry, str) else [entry["name"], *_topic_names(entry.get("children") or [])]
    return names


def _plan(n: int, rng: random.Random, orgs: dict[str, tuple[str, str]], nodes, topics, mix=MIX) -> list[Draft]:
    """Every item's front matter, in publication order, with index_no numbered per publisher and year."""
    planned = _schedule(n, rng, mix)
    drafts: list[Draft] = []
    counters: dict[tuple[str, int], int] = {}
    topical = [node for node in nodes if node[0] not in DOC_NODE.values()]
    for seq, (day, kind, link) in enumerate(planned):
        node, dep = (DOC_NODE[kind], None) if kind in DOC_NODE else rng.choice(topical)
        publisher = "szfbgt" if kind == "年度报告" else dep or rng.choice(sorted(orgs))
        if kind in ("规章", "行政规范性文件", "政策解读"):
            publisher = rng.choice(("szfbgt", "sfj", "fgw", "czj", "zjj", "jyj"))
        counters[(publisher, day.year)] = number = counters.get((publisher, day.year), 0) + 1
        subject = rng.choice(SUBJECTS)
        meta = {
            "title": "",
            "index_no": f"{orgs[publisher][0]}/{day.year}-{number:05d}",
            "publisher": publisher,
            "published": day,
            "category": node,
            "summary": f"围绕{subject}，{rng.choice(ACTS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。",
            "doc_type": kind,
            "written": day - dt.timedelta(days=rng.randrange(0, 8)),
            "topics": rng.sample(topics, rng.choice((1, 1, 2))),
            "keywords": [subject, rng.choice(OBJECTS)],
        }
        draft = Draft(
            seq,
            meta,
            day.year,
            publisher,
            attach=rng.random() < ATTACH_SHARE,
            extra={"subject": subject, "link": link, "org": orgs[publisher][1]},
        )
        meta["title"] = _title(kind, subject, draft, rng)
        drafts.append(draft)
    _relate(drafts, rng)
    return drafts


def _schedule(n: int, rng: random.Random, mix=MIX) -> list[tuple[dt.date, str, dict]]:
    """(published, doc_type, links to earlier entries by position) for exactly n items, by date."""
    days = (AS_OF - dt.date(FIRST_YEAR, 1, 1)).days - 40
    reports = list(range(FIRST_YEAR, FIRST_YEAR + YEARS - 1))[: max(1, min(YEARS - 1, n // 200))]
    kinds, weights = [k for k, _ in mix], [w for _, w in mix]
    entries: list[tuple[dt.date, str, dict]] = []
    for _ in range(n):
        day = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(days))
        kind = rng.choices(kinds, weights)[0]
        entries.append((day, kind, {}))
        if kind in ("规章", "行政规范性文件"):
            me = len(entries) - 1
            entries.append((day, "政策解读", {"of": me}))
            later = day + dt.timedelta(days=rng.randrange(200, 1500))
            if rng.random() < REVISE_SHARE and later < AS_OF - dt.timedelta(days=40):
                entries.append((later, kind, {"replaces": me}))
                entries.append((later, "政策解读", {"of": len(entries) - 1}))
    entries += [(dt.date(y + 1, 1, 20), "年度报告", {}) for y in reports]
    # Policies bring interpretations and revisions: drop plain 一般信息 items to get exactly n.
    plain = [i for i, e in enumerate(entries) if e[1] == "一般信息"]
    drop = set(rng.sample(plain, min(len(plain), max(0, len(entries) - n))))
    kept = [i for i in range(len(entries)) if i not in drop][:n]
    kept.sort(key=lambda i: (entries[i][0], i))
    where = {old: new for new, old in enumerate(kept)}
    return [(entries[i][0], entries[i][1], {k: where[v] for k, v in entries[i][2].items() if v in where}) for i in kept]


def _title(kind: str, subject: str, draft: Draft, rng: random.Random) -> str:
    org = draft.extra["org"]
    if kind == "年度报告":
        return f"云溪市人民政府{draft.year - 1}年政府信息公开工作年度报告"
    if kind == "政策解读":
        return f"《关于{rng.choice(ACTS)}{subject}{rng.choice(OBJECTS)}的意见》政策解读"
    if kind == "征求意见":
        return f"关于公开征求《云溪市{subject}管理办法（征求意见稿）》意见的通知"
    if kind in ("规章", "行政规范性文件", "其他文件"):
        draft.meta["doc_no"] = f"云{'政规' if kind != '其他文件' else '政办发'}〔{draft.year}〕{draft.seq % 97 + 1}号"
        name = "办法" if kind == "规章" else rng.choice(("实施意见", "管理办法", "工作方案", "若干措施"))
        return f"{org}关于印发云溪市{subject}{name}的通知"
    return f"{org}{subject}{rng.choice(('工作情况', '信息公示', '进展情况通报', '工作动态', '公告'))}"


def _relate(drafts: list[Draft], rng: random.Random) -> None:
    """Interpretations and revisions first, then abolitions and expiry of what is still in force;
    every relation is written on the side docs/format.md asks for."""
    for d in drafts:
        meta, link, kind = d.meta, d.extra["link"], d.meta["doc_type"]
        if kind == "政策解读" and "of" in link:
            meta["interprets"] = [drafts[link["of"]].meta["index_no"]]
            meta["interpretation_form"] = rng.choice(FORMS)
        if kind in ("规章", "行政规范性文件"):
            meta["effective"] = meta["published"] + dt.timedelta(days=rng.choice((0, 15, 30)))
        if kind == "征求意见":
            meta["consultation"] = {"start": meta["published"], "end": meta["published"] + dt.timedelta(days=30)}
        if "replaces" in link:
            old = drafts[link["replaces"]].meta
            meta["replaces"] = old["index_no"]
            old["status"], old["revised_by"] = "已修订", meta["index_no"]
        if kind == "政策解读" and "of" not in link:  # its policy fell outside the n items
            meta["doc_type"], meta["category"] = "一般信息", "jggk"
    decisions = [d for d in drafts if d.meta["doc_type"] == "其他文件"]
    decision_days = [d.meta["published"] for d in decisions]
    for d in drafts:
        meta = d.meta
        if meta["doc_type"] not in ("规章", "行政规范性文件", "其他文件") or "status" in meta or "replaces" in meta:
            continue
        if rng.random() < ABOLISH_SHARE:
            date = meta["published"] + dt.timedelta(days=rng.randrange(400, 1800))
            at = bisect.bisect_left(decision_days, date)
            if at < len(decisions):
                decision = decisions[at].meta
                meta["status"] = "废止"
                meta["abolished"] = {
                    "date": decision["published"],
                    "by": decision["index_no"],
                    "reason": rng.choice(ABOLISH_REASONS),
                }
        elif meta["doc_type"] == "行政规范性文件" and rng.random() < 0.2:
            meta["expires"] = meta["effective"] + dt.timedelta(days=365 * rng.choice((2, 3, 5)))


def _write_item(root: Path, d: Draft, rng: random.Random, realistic: bool = False) -> None:
    folder = root / "content" / "items" / str(d.year) / d.publisher
    name = f"{d.year}-{d.meta['index_no'][-5:]}"
    folder.mkdir(parents=True, exist_ok=True)
    meta = dict(d.meta)
    if d.attach:
        (folder / "files").mkdir(exist_ok=True)
        (folder / "files" / f"{name}.pdf").write_bytes(_pdf(meta["index_no"]))
        meta["attachments"] = [{"file": f"files/{name}.pdf", "title": f"{meta['title']}（附件）"}]
    front = yaml.dump(
        meta, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
    )
    body = _real_body(d, rng) if realistic else _body(d, rng)
    (folder / f"{name}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")


class _PlainDumper(yaml.SafeDumper):
    """Writes a shared date twice instead of as &anchor / *alias, as staff would."""

    def ignore_aliases(self, data):
        return True


def _sentence(rng: random.Random, subject: str) -> str:
    return (
        f"{rng.choice(ORGS)}要围绕{subject}{rng.choice(ACTS)}{rng.choice(OBJECTS)}，"
        f"{rng.choice(ACTS)}{rng.choice(SUBJECTS)}{rng.choice(OBJECTS)}，{rng.choice(PURPOSES)}。"
    )


def _body(d: Draft, rng: random.Random) -> str:
    """Headed sections of prose; the length is log-normal around 1,000 characters."""
    subject = d.extra["subject"]
    target = min(12000, max(150, int(math.exp(rng.gauss(6.8, 0.6)))))
    parts = [f"{'、'.join(rng.sample(ORGS[1:], 2))}：", _sentence(rng, subject)]
    size, section = 0, 0
    while size < target:
        if rng.random() < 0.25 and section < len(NUMERALS):
            parts.append(f"## {NUMERALS[section]}、{rng.choice(ACTS)}{rng.choice(OBJECTS)}")
            section += 1
        paragraph = "".join(_sentence(rng, subject) for _ in range(rng.randint(1, 4)))
        parts.append(paragraph)
        size += len(paragraph)
    if d.meta["doc_type"] == "一般信息" and rng.random() < 0.1:
        parts.append(
            "| 项目 | 数量 | 同比 |\n|---|---|---|\n"
            + "\n".join(
                f"| {rng.choice(OBJECTS)} | {rng.randint(1, 900)} | {rng.randint(-20, 30)}% |" for _ in range(4)
            )
        )
    published = d.meta["published"]
    parts.append(f"{d.meta['title'][:12]}\n\n{published.year}年{published.month}月{published.day}日")
    return "\n\n".join(parts) + "\n"


# The realistic catalog (scripts/bench --catalogs realistic), shaped by the 69 real pages of
# ../shared/realpages/pages/ as xxgk's importer reads them (2026-12-06): body length p10 620,
# median 2,177, p90 5,171, largest 20,144 characters; about 60 characters a paragraph; 4 of 69
# with a table (15 to 461 cells); by title about 40 % policies (印发/办法/意见), 38 % notices and
# announcements, 22 % replies, letters and the like. Those pages come from policy libraries, so a
# site's own stream of 一般信息 (notices, news of its work) is weighted up here. The text is our own:
# sentences from a bank of two-character words, so that the vocabulary (the distinct bigrams
# Pagefind indexes) is that of real prose, not of a few dozen phrases.
REALISTIC_MIX = (("规章", 0.03), ("行政规范性文件", 0.09), ("其他文件", 0.2), ("征求意见", 0.02), ("一般信息", 0.5))
REAL_MEDIAN, REAL_SIGMA, REAL_TABLE_SHARE = 2000, 0.8, 0.06
TERMS = tuple(
    (
        "工作 建设 发展 管理 服务 改革 政策 企业 项目 资金 单位 部门 群众 社会 经济 市场 安全 环境 教育 卫生 "
        "医疗 住房 交通 农业 农村 城市 社区 街道 乡镇 人员 人才 就业 创业 保障 救助 养老 托育 文化 旅游 体育 "
        "科技 创新 数字 数据 平台 系统 信息 网络 监督 检查 执法 审批 许可 备案 登记 申报 评审 考核 评估 验收 "
        "采购 招标 合同 价格 收费 补贴 奖励 税收 财政 预算 决算 审计 统计 规划 计划 方案 措施 制度 机制 标准 "
        "规范 程序 流程 材料 证明 窗口 大厅 热线 办理 受理 答复 公示 公告 通报 督查 整改 落实 推进 完善 优化 "
        "加强 提升 促进 支持 引导 鼓励 保护 治理 防控 应急 救援 消防 气象 水利 河道 森林 土地 矿产 能源 电力 "
        "燃气 供水 排水 道路 桥梁 公交 地铁 港口 物流 商贸 消费 外贸 开放 园区 产业 制造 服务 金融 信贷 担保 "
        "保险 公积金 医保 社保 户籍 婚姻 殡葬 民族 宗教 侨务 残疾 妇女 儿童 青年 老人 学生 教师 医生 职工 农民 "
        "居民 业主 物业 租赁 拆迁 补偿 安置 征收 用地 绿化 垃圾 污水 噪声 扬尘 排放 监测 预警 通知 会议 培训 "
        "宣传 调研 座谈 协调 对接 联络 汇总 报送 归档 年度 季度 月度 上半年 下半年 全市 全区 各级 有关 相关 "
        "主要 重点 重大 基本 总体 具体 专项 综合 联合 临时 长期 目标 任务 责任 分工 要求 原则 范围 对象 条件 "
        "标准化 信息化 便利化 法治化 市场化 一体化 现代化 高质量 可持续 常态化"
    ).split()
)
LINKS = ("的", "和", "及", "与", "对", "按照", "根据", "围绕", "通过", "进一步", "不断", "切实", "依法", "并")


def _prose(rng: random.Random, size: int) -> str:
    """About `size` characters of sentences in administrative register, from TERMS."""
    out, length = [], 0
    while length < size:
        clauses = [
            "".join(
                rng.choice(TERMS) if k % 2 == 0 or rng.random() < 0.5 else rng.choice(LINKS)
                for k in range(rng.randint(4, 9))
            )
            for _ in range(rng.randint(1, 3))
        ]
        sentence = "，".join(clauses) + "。"
        if rng.random() < 0.15:  # figures and dates, as real notices carry them
            sentence = (
                f"截至{rng.randint(2016, 2025)}年{rng.randint(1, 12)}月底，共{rng.randint(3, 9000)}{rng.choice(('件', '户', '人', '万元', '个'))}，"
                + sentence
            )
        out.append(sentence)
        length += len(sentence)
    return "".join(out)


def _real_body(d: Draft, rng: random.Random) -> str:
    """A body shaped like the real pages' (REALISTIC_*): paragraphs of about 60 characters under
    numbered headings, log-normal length around REAL_MEDIAN, a table on REAL_TABLE_SHARE of them."""
    target = min(20000, max(150, int(math.exp(rng.gauss(math.log(REAL_MEDIAN), REAL_SIGMA)))))
    parts = [f"{'、'.join(rng.sample(ORGS[1:], 2))}：", _prose(rng, 60)]
    size, section, point = 0, 0, 0
    while size < target:
        if rng.random() < 0.12 and section < len(NUMERALS):
            parts.append(f"## {NUMERALS[section]}、{rng.choice(TERMS)}{rng.choice(TERMS)}")
            section, point = section + 1, 0
        paragraph = _prose(rng, rng.randint(30, 120))
        if section and rng.random() < 0.5 and point < len(NUMERALS):
            paragraph = f"（{NUMERALS[point]}）{paragraph}"
            point += 1
        parts.append(paragraph)
        size += len(paragraph)
    if rng.random() < REAL_TABLE_SHARE:
        columns = rng.randint(3, 6)
        head = ["序号", *rng.sample(TERMS, columns - 1)]
        rows = [
            [
                str(r + 1),
                *(rng.choice((rng.choice(TERMS) + rng.choice(TERMS), str(rng.randint(1, 9999)))) for _ in head[1:]),
            ]
            for r in range(rng.randint(4, 60))
        ]
        parts.append("\n".join("| " + " | ".join(row) + " |" for row in [head, ["---"] * columns, *rows]))
    published = d.meta["published"]
    parts.append(f"{d.extra['org']}\n\n{published.year}年{published.month}月{published.day}日")
    return "\n\n".join(parts) + "\n"


def _pdf(label: str) -> bytes:
    """A one-page PDF naming its item (ASCII only), valid enough for pypdf."""
    text = f"Attachment {label}".replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


MKDOCS_YML = f"""\
# 合成站点（scripts/gen-synthetic 生成，用于性能测试）
site_name: {{agency}}信息公开（合成数据）
site_url: https://synthetic.example/
docs_dir: content
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: zh
  font: false
plugins:
  - xxgk:
      page_size: 20
      as_of: {AS_OF.isoformat()}
nav:
  - 首页: index.md
  - 政府信息公开指南: zhinan.md
  - 法定主动公开内容: catalog/index.md
  - 现行有效文件: policies/current/gfxwj/index.md
  - 主题分类: topics/index.md
markdown_extensions:
  - tables
  - attr_list
  - toc:
      permalink: false
extra:
  agency: {{agency}}
  host: {{agency}}（合成数据）
  demo: 本站为 xxgk 性能测试用的合成数据，内容均为自动生成。
"""

GUIDE = """\
# 政府信息公开指南

本站为合成数据站点，用于测试 xxgk 在大量条目下的构建性能。条目由 scripts/gen-synthetic 自动生成，
内容不代表任何机关的真实信息。
"""


def _write_site_files(root: Path, agency: str) -> None:
    (root / "mkdocs.yml").write_text(MKDOCS_YML.replace("{agency}", agency), encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "zhinan.md").write_text(GUIDE, encoding="utf-8")
