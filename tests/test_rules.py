"""Each content check: a failing fixture gives its code at the right line; the clean fixture passes.

The checks run in process (`mini.check()`); the contracts of the command itself (exit codes 0, 1
and 2, problems on stdout as `path:line: CODE`, the count on stderr) through a real `xxgk`."""

import pytest

POLICY = "content/items/2024/bgs/policy.md"


@pytest.mark.cli
def test_clean_fixture_passes(mini):
    result = mini.xxgk("check", ".")
    assert result.code == 0, result.text
    assert "没有发现问题" in result.err


def _line_of(site, rel, needle):
    for number, line in enumerate(site.read(rel).splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


# (code, edit of the clean policy file (old, new), text whose line is reported)
BROKEN_FIELDS = [
    ("E101", ("category: gfxwj", "category: [gfxwj"), "category: [gfxwj"),
    ("E102", ("publisher: bgs\n", ""), "---"),
    ("E103", ("published: 2024-03-05", "published: 2024-02-30"), "published:"),
    ("E103", ("written: 2024-03-01", "written: 3月1日"), "written:"),
    ("E105", ("index_no: 11990100MB0000001T/2024-00001", "index_no: 11990100MB0000001T-2024-1"), "index_no:"),
    ("E106", ("index_no: 11990100MB0000001T/2024-00001", "index_no: 11990100MB00000031/2024-00001"), "index_no:"),
    ("E107", ("publisher: bgs", "publisher: nobody"), "publisher:"),
    ("E108", ("category: gfxwj", "category: nowhere"), "category:"),
    ("E109", ("topics: [综合政务]", "topics: [不存在的主题]"), "topics:"),
    ("E110", ("doc_type: 行政规范性文件", "doc_type: 红头文件"), "doc_type:"),
    ("E110", ("doc_no:", "status: 作废\ndoc_no:"), "status:"),
    ("E111", ("topics: [综合政务]", "topics: {a: 1}"), "topics:"),
    ("E112", ("category: gfxwj", "category: gfxwj\ncategory: gz"), "category: gz"),
    ("W201", ("published: 2024-03-05", "published: 2024-03-05\npublisehd: 2024-03-05"), "publisehd"),
]


@pytest.mark.parametrize(
    "code,edit,where", BROKEN_FIELDS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(BROKEN_FIELDS)]
)
def test_field_problems_are_reported_with_line(mini, code, edit, where):
    mini.edit(POLICY, *edit)
    result = mini.check()
    line = 1 if where == "---" else _line_of(mini, POLICY, where)
    assert f"{POLICY}:{line}: {code} " in result.out, result.text
    assert result.code == (0 if code.startswith("W") else 1)
    assert "Traceback" not in result.text


def test_unknown_key_suggests_the_nearest_known_key(mini):
    mini.edit(POLICY, "published: 2024-03-05", "published: 2024-03-05\npublisehd: 2024-03-05")
    assert "是否应为 published" in mini.check().out


@pytest.mark.cli
def test_missing_front_matter(mini):
    mini.write("content/items/2024/bgs/plain.md", "只有正文，没有元数据头。\n")
    result = mini.xxgk("check", ".")
    assert result.out.startswith("content/items/2024/bgs/plain.md:1: E101 ")
    assert "1 个错误" in result.err
    assert result.code == 1


def test_duplicate_index_no_names_both_files(mini):
    mini.edit("content/items/2024/bgs/notice.md", "2024-00003", "2024-00001")
    result = mini.check()
    assert result.code == 1
    line_a = _line_of(mini, POLICY, "index_no:")
    line_b = _line_of(mini, "content/items/2024/bgs/notice.md", "index_no:")
    assert f"{POLICY}:{line_a}: E104 " in result.out
    assert f"content/items/2024/bgs/notice.md:{line_b}: E104 " in result.out
    assert (
        f"content/items/2024/bgs/notice.md:{line_b}" in result.out.split(f"{POLICY}:{line_a}: E104 ")[1].splitlines()[0]
    )


def test_broken_catalog_yaml_is_reported_not_raised(mini):
    mini.write("catalog/catalog.yml", "- id: zcwj\n  name: 政策文件\n  children: [\n")
    result = mini.check()
    assert result.code == 1
    assert "catalog/catalog.yml:" in result.out and "E101" in result.out
    assert "Traceback" not in result.text


def test_duplicate_catalog_node(mini):
    mini.write("catalog/catalog.yml", mini.read("catalog/catalog.yml") + "- id: gz\n  name: 又一个规章\n")
    result = mini.check()
    assert "E132" in result.out and result.code == 1


def test_bad_org_code_in_departments(mini):
    mini.edit("catalog/departments.yml", "11990100MB00000031", "abc")
    assert "catalog/departments.yml:6: E133 " in mini.check().out


def test_empty_catalog_node_is_a_warning(mini):
    mini.write("catalog/catalog.yml", mini.read("catalog/catalog.yml") + "- id: kong\n  name: 空栏目\n")
    result = mini.check()
    assert "W202" in result.out and "空栏目" in result.out
    assert result.code == 0


@pytest.mark.cli
def test_usage_errors_exit_2(mini):
    assert mini.xxgk("check", "--no-such-flag").code == 2
    assert mini.xxgk("check", "no/such/dir").code == 2
    assert mini.xxgk("check", "--as-of", "明天").code == 2
    assert mini.xxgk().code == 2


def test_staff_written_home_page_is_refused(mini):
    mini.write("content/index.md", "# 首页\n")
    result = mini.check()
    assert "E136" in result.out and result.code == 1


def test_remembered_front_matter_follows_each_edit(mini):
    """Parsed front matter is kept in .cache/ by its text (`check --cache`, as a build does):
    edits, breakage and repair are all seen."""
    assert mini.check("--cache").code == 0
    assert any((mini.path / ".cache/xxgk/front-matter").glob("*.pickle"))
    mini.edit(POLICY, "category: gfxwj", "category: [gfxwj")
    for _ in range(2):  # parsed, then remembered: the error is kept too
        broken = mini.check("--cache")
        assert f"{POLICY}:{_line_of(mini, POLICY, 'category: [gfxwj')}: E101 " in broken.out
    mini.edit(POLICY, "category: [gfxwj", "category: gfxwj")
    assert mini.check("--cache").code == 0
    mini.edit(POLICY, "publisher: bgs", "publisher: nobody")
    moved = mini.check("--cache")
    assert f"{POLICY}:{_line_of(mini, POLICY, 'publisher: nobody')}: E107 " in moved.out
