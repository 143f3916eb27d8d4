"""The 依申请公开 page: how to apply, the channels the site's `apply` option lists, and the
application form (自然人 / 法人或其他组织, 第二十九条) in three shapes from one field table:
the browser form (the page's template; assets/xxgk/apply.js checks what a reader types, by each
field's `check`, and prints the application: nothing leaves the reader's computer), and the
same form as a .docx written at build (python-docx), to print and fill by hand."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from xxgk.core.options import Options
from xxgk.core.urls import ROUTES
from xxgk.infra.caches import cache_dir
from xxgk.output.pagedata import ApplyData

PAGE, DOCX = ROUTES["apply"], ROUTES["apply_docx"]
PERSON, ORG = "自然人", "法人或其他组织"


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    who: str  # PERSON, ORG, or "" for both
    required: bool = True
    check: str = ""  # what apply.js checks: id (居民身份证号), phone, email, postcode, uscc (统一社会信用代码)
    multiline: bool = False
    hint: str = ""


FIELDS = (
    FormField("name", "姓名", PERSON),
    FormField("id_type", "证件名称", PERSON, hint="如：居民身份证"),
    FormField("id_no", "证件号码", PERSON, check="id", hint="居民身份证号按国家标准校验"),
    FormField("employer", "工作单位", PERSON, required=False),
    FormField("org_name", "名称", ORG),
    FormField("uscc", "统一社会信用代码", ORG, check="uscc"),
    FormField("legal_rep", "法定代表人或者负责人", ORG),
    FormField("contact", "联系人姓名", ORG),
    FormField("phone", "联系电话", "", check="phone", hint="手机或区号加座机号码"),
    FormField("address", "通信地址", ""),
    FormField("postcode", "邮政编码", "", required=False, check="postcode"),
    FormField("email", "电子邮箱", "", required=False, check="email"),
    FormField(
        "wanted",
        "所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述",
        "",
        multiline=True,
        hint="尽量写明文件名称、文号、形成时间或制作机关",
    ),
)
FORMS = ("纸质", "电子文档", "其他")  # 获取信息的形式
WAYS = ("邮寄", "电子邮件", "当面领取", "其他")  # 获取信息的途径
CHANNEL_LABELS = {
    "office": "受理机构",
    "post_address": "信函申请地址",
    "postcode": "邮政编码",
    "visit_address": "当面申请地址",
    "hours": "受理时间",
    "phone": "咨询电话",
    "email": "电子邮箱（数据电文申请）",
    "fax": "传真",
    "platform": "网上申请平台",
}


def page_data(opts: Options) -> ApplyData:
    """Plain values only (the page cache fingerprints them)."""
    return ApplyData(
        agency=str(opts.extra.get("agency") or opts.site_name),
        channels=[(CHANNEL_LABELS[k], v, k) for k, v in opts.apply.items()],
        fields=[asdict(f) for f in FIELDS],
        forms=list(FORMS),
        ways=list(WAYS),
        docx=DOCX,
        person=PERSON,
        org=ORG,
    )


def write_docx(site_dir: Path, opts: Options) -> Path:
    """The blank application form, one table as agencies print it, for the 信函 and 当面 channels.
    The same form is written again from .cache/xxgk/forms/ as long as what it is made of is
    the same: making it (python-docx, and importing it) cost 0.17 s of every build (issue 35)."""
    data = page_data(opts)
    path = site_dir / DOCX
    path.parent.mkdir(parents=True, exist_ok=True)
    recipe = "\0".join([data.agency, version("python-docx"), Path(__file__).read_text(encoding="utf-8")])
    kept = cache_dir(opts.root, "forms") / f"{hashlib.sha256(recipe.encode('utf-8')).hexdigest()}.docx"
    try:
        path.write_bytes(kept.read_bytes())
        return path
    except OSError:  # not made yet, or the cache is unreadable: make it
        pass
    form = _form(data)
    path.write_bytes(form)
    if opts.keep_caches:
        _keep(kept, form)
    return path


def _keep(kept: Path, form: bytes) -> None:
    """The form as the one entry of the forms cache (an older agency's form goes)."""
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob("*.docx"):
            old.unlink()
        tmp = kept.with_suffix(".tmp")
        tmp.write_bytes(form)
        tmp.replace(kept)
    except OSError:  # a read-only checkout still builds, only without the cache
        pass


def _form(data: ApplyData) -> bytes:
    from docx import Document  # only the build needs it
    from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "SimSun", Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{data.agency}政府信息公开申请表")
    run.bold, run.font.size = True, Pt(16)
    table = doc.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Cm(3.0), Cm(5.4), Cm(8.2))
    for column, width in zip(table.columns, widths):  # LibreOffice reads the grid, Word the cells
        column.width = width

    def row(group: str, label: str, value: str = "", height: float = 0.9) -> None:
        r = table.add_row()
        r.height, r.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, text, width in zip(r.cells, (group, label, value), widths):
            cell.text, cell.width = text, width
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER

    for who in (PERSON, ORG):
        for f in FIELDS:
            if f.who in (who, "") and not f.multiline:
                row(f"申请人信息（{who}）", f.label + ("" if f.required else "（选填）"))
    for f in FIELDS:
        if f.multiline:
            row("所需信息", f.label, height=4.0)
    row("所需信息", "获取信息的形式", "　".join(f"□{x}" for x in FORMS))
    row("所需信息", "获取信息的途径", "　".join(f"□{x}" for x in WAYS))
    row("申请人签名或者盖章", "", "", height=2.0)
    row("申请日期", "", "　　　　年　　月　　日")
    _merge_groups(table)
    note = doc.add_paragraph()
    note.add_run(
        "说明：自然人填写“申请人信息（自然人）”部分，法人或其他组织填写“申请人信息（法人或其他组织）”部分；"
        "请附身份证明复印件。申请可通过信函、当面或数据电文方式提交，受理机构和地址见本机关网站“依申请公开”栏目。"
    ).font.size = Pt(9)
    packed = io.BytesIO()
    doc.save(packed)
    return _stable_zip(packed.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same bytes for the same form: a .docx is a zip whose entries carry the time they were
    written, and two builds of one commit must be identical (tests/test_cache.py)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _merge_groups(table) -> None:
    rows = list(table.rows)
    start = 0
    for n in range(1, len(rows) + 1):
        if n == len(rows) or rows[n].cells[0].text != rows[start].cells[0].text:
            if n - start > 1:
                text = rows[start].cells[0].text
                merged = rows[start].cells[0].merge(rows[n - 1].cells[0])
                merged.text = text
            elif not rows[start].cells[1].text:  # a one-row group without a label: span the label cell
                text = rows[start].cells[0].text
                rows[start].cells[0].merge(rows[start].cells[1]).text = text
            start = n
