"""Relations without loops (issue 14, rows 7 and 8): revised_by, replaces, interprets and
abolished.by, alone or mixed, may not point at the item itself or come round to it."""

import pytest

POLICY = "content/items/2024/bgs/policy.md"
JD = "content/items/2024/bgs/policy-jd.md"
RULE = "content/items/2024/bgs/rule.md"
NO = {
    "policy": "11990100MB0000001T/2024-00001",
    "jd": "11990100MB0000001T/2024-00002",
    "rule": "11990100MB0000001T/2024-00004",
}


def _add(site, rel, lines):
    text = site.read(rel)
    head, rest = text.split("\n---\n", 1)
    site.write(rel, head + "\n" + lines.strip() + "\n---\n" + rest)


def _line(site, rel, needle):
    return next(n for n, line in enumerate(site.read(rel).splitlines(), 1) if line.startswith(needle))


@pytest.mark.parametrize(
    "rel,lines,key",
    [
        (POLICY, f"status: 已修订\nrevised_by: {NO['policy']}", "revised_by"),
        (POLICY, f"replaces: {NO['policy']}", "replaces"),
        (POLICY, f"status: 废止\nabolished: {{date: 2024-06-01, by: {NO['policy']}}}", "abolished"),
    ],
)
def test_pointing_at_itself_is_an_error(mini, rel, lines, key):
    _add(mini, rel, lines)
    result = mini.check()
    assert result.code == 1
    assert f"{rel}:{_line(mini, rel, key)}: E124" in result.out and "本条目自己" in result.out


def test_interpretation_of_itself_is_an_error(mini):
    mini.edit(JD, f"interprets: [{NO['policy']}]", f"interprets: [{NO['policy']}, {NO['jd']}]")
    result = mini.check()
    assert result.code == 1 and f"{JD}:{_line(mini, JD, 'interprets')}: E124" in result.out


@pytest.mark.build
def test_revised_by_loop_of_two_is_an_error(mini):
    _add(mini, POLICY, f"status: 已修订\nrevised_by: {NO['rule']}")
    _add(mini, RULE, f"status: 已修订\nrevised_by: {NO['policy']}")
    result = mini.check()
    assert result.code == 1
    assert f"{POLICY}:{_line(mini, POLICY, 'revised_by')}: E124" in result.out
    assert f"{RULE}:{_line(mini, RULE, 'revised_by')}: E124" in result.out
    built = mini.build()
    assert built.code == 1 and "E124" in built.text


def test_loop_through_mixed_relations_is_an_error(mini):
    """jd interprets policy (jd is the newer), and policy replaces jd (policy the newer): a loop of two kinds."""
    _add(mini, POLICY, f"replaces: {NO['jd']}")
    result = mini.check()
    assert result.code == 1
    assert f"{POLICY}:{_line(mini, POLICY, 'replaces')}: E124" in result.out
    assert f"{JD}:{_line(mini, JD, 'interprets')}: E124" in result.out


def test_a_chain_without_loops_passes(mini):
    _add(mini, POLICY, f"status: 已修订\nrevised_by: {NO['rule']}")
    _add(mini, RULE, f"replaces: {NO['policy']}")
    result = mini.check()
    assert "E124" not in result.out, result.out
