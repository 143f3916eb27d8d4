"""What a catalog node is as a column of a government website: its `ColumnType` from the
standard vocabulary of the 网页设计规范 (国办发〔2017〕47号, annex), and the 基层政务公开标准目录
fields a node may state. The vocabulary is here once: the catalog loader checks a node's
`column_type` against it and output/meta.py writes it into every page."""

from __future__ import annotations

from collections.abc import Iterable

# The annex's column types that a disclosure site has, in its words.
COLUMN_TYPES = (
    "首页",
    "概况信息",
    "机构职能",
    "负责人信息",
    "工作动态",
    "政策文件",
    "政策解读",
    "回应关切",
    "信息公开指南",
    "信息公开制度",
    "信息公开目录",
    "法定主动公开内容",
    "信息公开年报",
    "依法申请公开",
    "办事服务",
    "互动交流",
    "数据发布",
    "专题专栏",
    "其他",
)

# A column's type from the words of its name, the first match winning (解读 before 文件,
# 领导 before 机构): what a node without its own `column_type` is.
_BY_WORDS = (
    (("领导", "负责人"), "负责人信息"),
    (("解读",), "政策解读"),
    (("年度报告", "年报"), "信息公开年报"),
    (("指南",), "信息公开指南"),
    (("制度",), "信息公开制度"),
    (("依申请", "申请公开"), "依法申请公开"),
    (("回应", "关切"), "回应关切"),
    (("动态", "要闻", "通知公告", "新闻"), "工作动态"),
    (("机构", "职能"), "机构职能"),
    (("概况",), "概况信息"),
    (("政策文件", "规章", "规范性文件", "其他文件"), "政策文件"),
    (("政务服务", "办事"), "办事服务"),
    (("征求意见", "建议提案", "互动"), "互动交流"),
    (("统计", "数据"), "数据发布"),
)

# The 基层政务公开标准目录 columns (国办发〔2019〕54号 and the 26 standard catalogs) a node may
# state in catalog.yml: key → label. 责任部门 (department) and 公开时限 (deadline) are the node's
# own keys already.
STANDARD_FIELDS = {
    "basis": "公开依据",
    "subject": "公开主体",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "manner": "公开方式",
    "level": "公开层级",
}


def column_type(names: Iterable[str], default: str = "法定主动公开内容") -> str:
    """The type of a column named `names` (its own name first, then its ancestors')."""
    for name in names:
        for words, kind in _BY_WORDS:
            if any(w in name for w in words):
                return kind
    return default
