"""Wording check (严重表述错误): retired bodies judged by the document's own date, fixed
formulations one character off, leaders' titles from the site's list, forbidden terms, 错别字,
and the 用语放行 comment — in process on a copied fixture site, and once through `xxgk check`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk.core import wording
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.wordlists import load_wordlists
from xxgk.rules import analyse

NOTICE = "content/items/2024/bgs/notice.md"  # published 2024-04-01
OLD = "2016-05-03"
SCANNER = wording.Scanner(load_wordlists(Path("/nonexistent"), "", []))  # the shipped lists alone


def codes(site) -> list[str]:
    opts = dataclasses.replace(read_mkdocs_yml(site.path), as_of_override=dt.date(2025, 1, 1))
    return [str(p) for p in analyse(opts).problems if p.code[1] == "5"]


def found(text: str, day: str = "2024-04-01") -> list[tuple[str, str]]:
    return [(f.code, f.found) for f in SCANNER.find(text, dt.date.fromisoformat(day))]


def test_a_retired_body_in_a_new_item_is_an_error_at_its_line_with_its_successor(mini):
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作。\n\n按照国家工商行政管理总局的部署执行。")
    line = mini.read(NOTICE).splitlines().index("按照国家工商行政管理总局的部署执行。") + 1
    (problem,) = codes(mini)
    assert problem.startswith(f"{NOTICE}:{line}: E500 “国家工商行政管理总局”自 2018-04-10 起")
    assert "请改为“国家市场监督管理总局”" in problem


def test_the_same_name_in_an_item_from_before_the_reform_is_right(mini):
    mini.edit(NOTICE, "published: 2024-04-01", f"published: {OLD}")
    mini.edit(NOTICE, "index_no: 11990100MB0000001T/2024-00003", "index_no: 11990100MB0000001T/2016-00003")
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作。\n\n按照国家工商行政管理总局的部署执行。")
    assert codes(mini) == []


@pytest.mark.parametrize(
    "text",
    [
        "根据《国家工商行政管理总局关于某事项的通知》办理。",  # a title in 《》
        "原国家工商行政管理总局的职责划入本局。",  # history, said so
        "依据国家工商行政管理总局令第10号执行。",  # a 令 citation
        "依照国家工商行政管理总局2015年的通知（工商市字〔2015〕12号）办理。",  # an older 文号 in the sentence
        "将国家工商行政管理总局的职责整合，组建国家市场监督管理总局。",  # the reform itself
        "各级农业部门和文化部门要加强协作，落实环保部署。",  # 农业部门 is no 农业部
    ],
)
def test_quotations_and_history_are_not_flagged(text):
    assert found(text) == []


def test_a_chain_of_reforms_names_today_s_body():
    (f,) = SCANNER.find("请中国银监会派员参加。", dt.date(2024, 6, 1))
    assert f.code == "E500" and "请改为“国家金融监督管理总局”" in f.message
    assert found("请中国银监会派员参加。", "2019-06-01") == [("E500", "中国银监会")]
    assert found("请中国银保监会派员参加。", "2019-06-01") == []


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("深入学习贯彻习近平新时代中国特色社会主意思想。", "习近平新时代中国特色社会主意思想"),  # homophone 义/意
        ("全面贯彻习近平新时代中国特色社会主义想。", "习近平新时代中国特色社会主义想"),  # 思 dropped
        ("牢固树立四个义识。", "四个义识"),  # homophone in a short one
        ("坚定四个自心，做到两个维户。", "四个自心"),
        ("学习贯彻党的二十届三种全会精神。", "党的二十届三种全会"),
        ("增强四个意识，坚定四个自信，做到两个护维。", "两个护维"),  # two swapped
    ],
)
def test_one_character_off_a_fixed_formulation_is_flagged_with_the_right_form(text, wrong):
    assert ("E501", wrong) in found(text)


def test_homophones_come_from_pypinyin_s_reading_table_without_loading_the_package():
    """The scanner reads pypinyin's table of readings alone (core/wording._pinyin_dict): the
    package's own import loads its phrase dictionaries too, half a second of every build that
    checks a changed item. A fresh interpreter still finds the homophone 义/意."""
    code = (
        "import datetime as dt, sys\n"
        "from pathlib import Path\n"
        "from xxgk.core import wording\n"
        "from xxgk.core.wordlists import load_wordlists\n"
        "scanner = wording.Scanner(load_wordlists(Path('/nonexistent'), '', []))\n"
        "found = scanner.find('牢固树立四个义识。', dt.date(2024, 4, 1))\n"
        "print([f.found for f in found], 'pypinyin' in sys.modules, wording.homophones('义', '意'))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(wording.__file__).parents[2]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["['四个义识']", "False", "True"]


@pytest.mark.parametrize(
    "text",
    [
        "四个自然村的道路已硬化。",  # not a homophone: another phrase
        "坚持以习近平新时代中国特色社会主义思想为指导，学习习近平经济思想。",
        "深入学习习近平新时代中国特色社会主义经济思想和法治思想。",
        "全面建设社会主义现代化国家的新征程，坚持中国特色社会主义道路。",
        "两个确立是党的重大政治成果，四个意识要牢固树立。",
    ],
)
def test_right_and_neighbouring_phrases_are_not_flagged(text):
    assert found(text) == []


def test_an_outdated_leader_title_from_the_site_list_is_flagged(mini):
    mini.write(
        "catalog/wording.yml",
        "leaders:\n  - name: 王某某\n    titles:\n"
        "      - {title: 市长, from: 2023-06-01}\n      - {title: 副市长, from: 2019-01-01, until: 2023-05-31}\n",
    )
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作。\n\n副市长王某某出席会议。王某某市长讲话。")
    (problem,) = codes(mini)
    assert ": E502 王某某的职务写作“副市长”，该职务不在 2024-04-01 的任期内，2024-04-01 时其职务为 市长" in problem


def test_forbidden_terms_and_typos_and_site_renamed_bodies(mini):
    mini.write(
        "catalog/wording.yml",
        "forbidden:\n  - {term: 某禁语, instead: 规范说法, reason: 不符合规范}\n"
        "renamed:\n  - {name: 测试市环境保护局, successor: 测试市生态环境局, date: 2019-03-01, source: 测试市机构改革方案}\n",
    )
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作，再接再励。\n\n某禁语。测试市环境保护局负责。")
    found_codes = [p.split(": ")[1].split()[0] for p in codes(mini)]
    assert sorted(found_codes) == ["E500", "E503", "W520"]


def test_an_acceptance_comment_lets_a_quotation_through_and_a_stale_one_is_a_warning(mini):
    body = "请做好信息公开工作。\n\n按照国家工商行政管理总局的部署执行。"
    mini.edit(NOTICE, "请做好信息公开工作。", body + "\n\n<!-- 用语放行：国家工商行政管理总局｜理由：引用原文 -->")
    assert codes(mini) == []
    mini.edit(NOTICE, "按照国家工商行政管理总局的部署执行。", "按照国家市场监督管理总局的部署执行。")
    (problem,) = codes(mini)
    assert ": W521 用语放行“国家工商行政管理总局”没有对应的用语问题" in problem


def test_an_acceptance_without_a_reason_is_an_error(mini):
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作。\n\n<!-- 用语放行：国家工商行政管理总局 -->")
    (problem,) = codes(mini)
    assert ": E511 " in problem


def test_a_broken_site_list_is_reported_at_its_line(mini):
    mini.write("catalog/wording.yml", "leaders:\n  - name: 王某某\n    titles: 市长\n")
    (problem,) = codes(mini)
    assert problem.startswith("catalog/wording.yml:3: E510 titles 应为职务列表")


@pytest.mark.cli
def test_xxgk_check_stops_on_a_retired_name(mini):
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作。环境保护部要求如下。")
    result = mini.check()
    assert result.code == 1
    assert f"{NOTICE}:9: E500 “环境保护部”自 2018-04-16 起已由“生态环境部”取代" in result.out


@pytest.mark.cli
def test_the_review_summary_shows_the_change_s_wording_findings_and_acceptances_first(mini):
    from test_review import commit, make_repo

    make_repo(mini)
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作，再接再励。")
    quoted = "content/items/2024/bgs/policy.md"
    mini.write(
        quoted,
        mini.read(quoted)
        + "\n依照国家工商行政管理总局的规定。\n<!-- 用语放行：国家工商行政管理总局｜理由：引用原文 -->\n",
    )
    result = mini.check("--base", "main", "--format", "markdown")
    out = result.out
    assert out.index("### 本次改动中的用语问题") < out.index("### 警告")
    assert "W520 “再接再励”疑为错别字，规范写法为“再接再厉”" in out
    assert f"{quoted}：“国家工商行政管理总局”，理由：引用原文" in out
    commit(mini)
    assert "本次改动中的用语" not in mini.check("--base", "HEAD").out  # nothing of it is this change's any more


@pytest.mark.cli
def test_import_reports_wording_judging_old_documents_by_their_own_dates(tmp_path):
    from conftest import new_site
    from import_sources import CSV_HEADER, MAPPING

    org = "11990102MB0000001P"
    site = new_site(tmp_path / "s", org)
    site.write("mapping.yml", MAPPING)
    body = "按照国家工商行政管理总局的要求办理。"
    rows = [CSV_HEADER]
    for n, day in ((1, "2016/5/3"), (2, "2020/5/6")):
        rows.append([f"{org}/{day[:4]}-0000{n}", f"第{n}号通知", "云溪市河西区人民政府", "", day, "有效", "", body])
    site.write("old.csv", "\n".join(",".join(r) for r in rows) + "\n")
    result = site.xxgk("import", "old.csv", "--mapping", "mapping.yml")
    flagged = [l for l in result.text.splitlines() if " E500 " in l]
    assert len(flagged) == 1 and "content/items/2020/" in flagged[0], result.text


def test_inspect_names_a_wording_error_as_a_single_veto(mini):
    before = mini.command("inspect", ".", "--as-of", "2024-04-10")
    assert "严重表述错误" not in before.out, before.text
    mini.edit(NOTICE, "请做好信息公开工作。", "请做好信息公开工作。环境保护部要求如下。")
    result = mini.command("inspect", ".", "--as-of", "2024-04-10")
    assert result.code == 1, result.text
    assert "[单项否决风险] 严重表述错误：1 处疑似严重表述错误" in result.out and f"{NOTICE}:9 E500" in result.out
