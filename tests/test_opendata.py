"""Open catalog data written by the build: catalog.json against its shipped schema,
catalog.csv (UTF-8 with BOM) read back with the csv module, footer links."""

import codecs
import copy
import csv
import io
import json

import jsonschema
import pytest

pytestmark = pytest.mark.build

A = "11990100MB0000001T"
LISTS = ("topics", "keywords", "interprets", "attachments")


@pytest.fixture
def built(mini):
    """The mini site plus items with every nested field, built once per test."""
    mini.item(
        "2022/bgs/old.md",
        f"title: 测试市旧办法\nindex_no: {A}/2022-00001\npublisher: bgs\npublished: 2022-03-01\n"
        "category: gfxwj\ndoc_type: 行政规范性文件\nkeywords: [旧办法, 管理]\n"
        "status: 废止\nabolished: {date: 2023-05-01, by: 测政规〔2023〕1号, reason: 已被取代}",
    )
    mini.item(
        "2023/bgs/short.md",
        f"title: 测试市临时措施，含“引号”\nindex_no: {A}/2023-00001\npublisher: bgs\n"
        "published: 2023-02-01\nwritten: 2023-01-20\ncategory: gfxwj\n"
        "doc_type: 行政规范性文件\nexpires: 2024-06-30\ntopics: [综合政务, 财政、金融、审计]\n"
        "attachments:\n- {file: files/a.pdf, title: 附件一}",
    )
    mini.write("content/items/2023/bgs/files/a.pdf", "%PDF-1.4 test")
    mini.item(
        "2024/bgs/zqyj.md",
        f"title: 征求意见稿\nindex_no: {A}/2024-00010\npublisher: bgs\npublished: 2024-06-01\n"
        "category: tzgg\ndoc_type: 征求意见\nconsultation: {start: 2024-06-01, end: 2024-06-30}",
    )
    result = mini.build()
    assert result.code == 0, result.text
    return mini


def _json(site):
    return json.loads((site.path / "site/catalog.json").read_text(encoding="utf-8"))


def _validator(site):
    schema = json.loads((site.path / "site/catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_catalog_json_validates_against_the_shipped_schema(built):
    doc = _json(built)
    _validator(built).validate(doc)
    assert doc["count"] == len(doc["items"]) == 8 and doc["as_of"] == "2025-01-01"


@pytest.mark.parametrize(
    "path, bad",
    [
        (("effective_status",), "作废"),
        (("published",), "2024/06/01"),
        (("abolished",), {"date": "2023-05-01"}),
        (("surprise",), 1),
    ],
)
def test_schema_rejects_what_it_does_not_describe(built, path, bad):
    doc = copy.deepcopy(_json(built))
    doc["items"][0][path[0]] = bad
    with pytest.raises(jsonschema.ValidationError):
        _validator(built).validate(doc)


def test_catalog_json_carries_metadata_and_derived_status(built):
    items = {i["index_no"]: i for i in _json(built)["items"]}
    old, short = items[f"{A}/2022-00001"], items[f"{A}/2023-00001"]
    assert old["abolished"] == {"date": "2023-05-01", "by": "测政规〔2023〕1号", "reason": "已被取代"}
    assert (
        old["status"] == "废止" and old["effective_status"] == "废止" and old["effective_status_since"] == "2023-05-01"
    )
    assert short["status"] == "有效" and short["effective_status"] == "失效"  # expired 2024-06-30, as of 2025-01-01
    assert short["effective_status_since"] == "2024-07-01"
    assert short["attachments"] == [{"url": "items/2023/bgs/files/a.pdf", "title": "附件一"}]
    assert short["publisher_name"] == "测试市人民政府办公室" and short["category_name"] == "行政规范性文件"
    assert short["url"] == f"items/{A}/2023-00001/"
    assert (built.path / "site" / short["url"] / "index.html").is_file()
    assert (built.path / "site" / short["attachments"][0]["url"]).is_file()


def _flat(record: dict) -> dict:
    """What one CSV row should hold, derived from the JSON record independently of the writer."""
    row = {}
    for key, value in record.items():
        if key in ("abolished", "consultation"):
            for sub in {"abolished": ("date", "by", "reason"), "consultation": ("start", "end", "feedback")}[key]:
                row[f"{key}_{sub}"] = (value or {}).get(sub) or ""
        elif key == "attachments":
            row[key] = ";".join(a["url"] for a in value)
        elif key in LISTS:
            row[key] = ";".join(value)
        else:
            row[key] = "" if value is None else str(value)
    return row


def test_catalog_csv_has_a_bom_and_the_same_rows_as_the_json(built):
    raw = (built.path / "site/catalog.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows == [_flat(r) for r in _json(built)["items"]]
    assert any("，含“引号”" in r["title"] for r in rows)
    assert next(r for r in rows if r["index_no"].endswith("2023-00001"))["topics"] == "综合政务;财政、金融、审计"


def test_catalog_csv_round_trips_through_the_csv_module(built):
    text = (built.path / "site/catalog.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    again = io.StringIO()
    csv.writer(again).writerows(rows)
    assert again.getvalue() == text and len(rows) == 1 + 8


def test_footer_links_to_the_open_data_and_stats(built):
    html = built.html("")
    for href in ("stats/", "catalog.json", "catalog.csv", "catalog.schema.json"):
        assert f'href="{href}"' in html
    assert 'href="../../../catalog.json"' in built.html(f"items/{A}/2023-00001/")
