"""The problem codes: what each means and what staff do about it. The one registry: a
Problem's severity comes from here, and docs/codes.md is generated from it (scripts/docs).

E codes are errors (the build stops), W codes warnings (printed). Hundreds group them:
0 site settings, 1 content, 2 content warnings, 3 the built site, 6 the portal's members;
I3xx are `xxgk import`'s findings, each an error (the record is not imported) or a warning.
A new code gets a free number here first: two meanings for one code is what this prevents.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: str  # what is wrong, in the words of the staff table
    fix: str  # what to do about it


def _codes(*rows: tuple[str, ...]) -> dict[str, Code]:
    """E codes are errors and W codes warnings; an I code (xxgk import) says which it is."""
    return {r[0]: Code(r[0], r[3] if len(r) > 3 else ERROR if r[0][0] == "E" else WARNING, r[1], r[2]) for r in rows}


CODES: dict[str, Code] = _codes(
    ("E001", "站点设置有误", "按提示修改 mkdocs.yml 中 xxgk 下的设置（或环境变量 XXGK_AS_OF）"),
    (
        "E010",
        "索引号已被另一份未合并的草稿使用",
        "改用下一个未用的序号（xxgk new 分配），或先合并或关闭另一份草稿，两份合并后会成为同一个文件",
    ),
    ("E100", "找不到内容目录", "在站点仓库根目录运行，或核对 mkdocs.yml 的 docs_dir"),
    (
        "E101",
        "文件无法读取：编码、元数据头或 YAML 格式有误",
        "用 UTF-8 保存；元数据头以 --- 开始和结束；检查提示行的缩进、冒号和引号",
    ),
    ("E102", "缺少必填项", "在元数据头中补上提示的键（title、index_no、publisher、published、category）"),
    ("E103", "日期无效", "写成 YYYY-MM-DD，例如 2024-03-05，并确认该日期存在"),
    ("E104", "索引号重复", "索引号全站唯一：为新条目取下一个未用的序号"),
    ("E105", "索引号格式不对", "写成“机构代码/年份-五位序号”，或核对 mkdocs.yml 的 index_no_pattern"),
    ("E106", "索引号的机构代码与发布机构不符", "改用发布机构在 departments.yml 中的 org_code"),
    ("E107", "发布机构不存在", "使用 catalog/departments.yml 中已有的 id，或先在该文件中添加"),
    ("E108", "目录分类不存在", "使用 catalog/catalog.yml 中某个节点的 id"),
    ("E109", "主题分类不存在", "照 catalog/topics.yml 中的名称逐字填写"),
    ("E110", "取值不在可选范围内", "改为提示中列出的值之一"),
    ("E111", "取值形式不对", "按提示的形式改写（文字、列表或映射）"),
    ("E112", "键重复出现", "同一个键只保留一个"),
    ("E120", "所解读文件不存在", "interprets 写本站已发布条目的索引号或发文字号"),
    ("E121", "废止文件缺少废止日期", "写 abolished: {date: 废止日期, by: 废止依据}"),
    ("E122", "已修订文件缺少修订后文件", "写 revised_by: 修订后文件的索引号"),
    ("E123", "修订关系两边不一致", "revised_by 与 replaces 应互相指向对方"),
    (
        "E124",
        "修订、解读或废止关系形成循环，或指向本条目自己",
        "replaces、interprets、abolished.by 指向更早的文件，revised_by 指向更新的文件，都不能指向本条目",
    ),
    ("E125", "有效期早于施行日期", "核对 effective 与 expires"),
    ("E126", "发布日期早于成文日期", "核对 written 与 published"),
    ("E127", "指向的文件不存在", "revised_by、replaces、consultation.feedback 写本站已发布条目的索引号或发文字号"),
    ("E128", "政策解读未写所解读文件", "在 interprets 中写所解读文件的索引号"),
    ("E129", "规章或规范性文件尚无政策解读（按站点设置为错误）", "同步发布解读，解读条目用 interprets 指向本文件"),
    ("E130", "缺少目录定义文件", "按 docs/format.md 创建 catalog/ 下缺少的文件"),
    ("E131", "目录节点有误", "每个节点写 id（小写英文字母开头）和 name；children 为列表"),
    ("E132", "目录节点 id 重复", "id 须在整个目录中唯一"),
    ("E133", "发布机构定义有误", "每个机构写 id、name 和 18 位统一社会信用代码（或 9 位组织机构代码）org_code"),
    ("E134", "主题分类定义有误", "topics.yml 写主题名称列表，或含 name 和 children 的映射"),
    ("E135", "目录节点的责任部门不存在", "department 写 departments.yml 中的 id"),
    ("E136", "首页由 xxgk 生成", "把 content/index.md 改名，例如 about.md"),
    ("E137", "征求意见未写征求意见期", "写 consultation: {start: 开始日期, end: 截止日期}"),
    ("E138", "征求意见截止日期早于开始日期", "核对 consultation 的 start 与 end"),
    ("E140", "发现居民身份证号", "删除或遮盖该号码；确需公开时在 privacy_ok 中写明号码和理由"),
    ("E141", "发现手机号码", "删除或遮盖该号码；确需公开（如办事电话）时在 privacy_ok 中写明号码和理由"),
    ("E142", "发现银行卡号", "删除或遮盖该号码；确需公开时在 privacy_ok 中写明号码和理由"),
    (
        "E145",
        "正文含不允许的 HTML",
        "删除或改写该处：正文不能含脚本、框架、表单、事件属性、javascript:/data: 地址和样式",
    ),
    ("E150", "附件路径指向条目文件夹之外", "把附件放在条目旁的 files/ 文件夹，写成 files/文件名"),
    ("E151", "附件不存在", "核对文件名（区分大小写），或把文件放到该位置"),
    ("E152", "附件类型不允许", "转换为允许的格式（如 PDF），或核对 mkdocs.yml 的 attachment_types"),
    ("E153", "附件超过大小上限", "压缩或拆分后再上传（上限见 mkdocs.yml 的 attachment_max_mb）"),
    ("E155", "内容或目录文件夹中有符号链接", "删除该链接，把文件本身放在这里并提交"),
    ("E156", "Markdown 文件的扩展名不是 .md", "把文件改名为 .md，否则它不会被检查"),
    ("E157", "内容文件夹中有不发布的文件类型", "删除该文件，或转换为允许的附件、图片格式"),
    ("E160", "删除了已发布的条目", "恢复该文件；不再有效时标注 status: 废止"),
    ("E161", "更改了已发布条目的索引号", "改回原索引号；确需新文件时另建条目并写 replaces"),
    ("E162", "已发布的页面地址将消失", "保留该页面（目录节点、主题或文件不要删除或改名）"),
    (
        "E170",
        "节假日文件格式有误",
        "每年一项：year、notice（通知标题）、holidays、workdays，见 catalog/holidays.yml 开头的说明",
    ),
    ("E171", "节假日文件中的日期有误", "写本年的日期：一个日期，或首末两日 [首日, 末日]"),
    ("E172", "同一天既写为放假又写为上班", "按国务院办公厅的节假日安排通知核对"),
    ("W201", "未知的键", "按提示改正拼写，或删除该键"),
    ("W202", "目录节点暂无信息", "补充该栏目的信息，或确认该栏目确实暂无信息"),
    ("W203", "规章或规范性文件尚无政策解读", "同步发布解读，解读条目用 interprets 指向本文件"),
    ("W204", "废止日期晚于构建基准日期", "确认日期；在此之前页面仍显示有效"),
    ("W205", "索引号年份与发布日期不同", "确认索引号与发布日期"),
    ("W210", "附件文字无法读取，隐私检查未覆盖", "人工核对附件中有无身份证号、手机号码、银行卡号"),
    ("W231", "超过 20 个工作日才公开", "核对成文日期和发布日期；今后应在成文后 20 个工作日内公开"),
    (
        "W232",
        "无法判断是否在 20 个工作日内公开",
        "在 catalog/holidays.yml 中按国务院办公厅通知补上该年的节假日安排，或人工核对",
    ),
    ("W233", "年度报告数字与本站计算不符", "运行 xxgk stats --year 年份 --explain，核对正文表格"),
    ("W234", "年度报告中没有找到主动公开情况表格", "按模板写表格；xxgk stats --year 年份 给出本站计算的数字"),
    ("E301", "链接目标不存在", "修正链接，或补上该文件"),
    ("E302", "锚点不存在", "核对链接中 # 后的部分"),
    ("E303", "页面加载站外资源", "把文件放进站点后用相对地址引用"),
    ("E304", "链接指向站点根目录之外", "改用相对地址"),
    ("W601", "成员站点无法读取，门户使用保存的副本", "检查该站点的构建和发布"),
    ("W602", "成员站点无法读取，未列入门户", "检查该站点的地址、构建和发布"),
    ("W604", "成员站点的描述文件版本过旧", "请该站升级 xxgk 后重新构建"),
    ("W605", "成员站点长期未更新", "督促该单位及时发布"),
    ("W606", "成员站点长期未构建", "检查该站点的持续构建"),
    ("W607", "成员站点有空栏目", "补充内容；确无信息的栏目应说明"),
    ("W608", "成员站点的栏目未按公开时限更新", "督促该单位按栏目的公开时限更新"),
    ("W609", "成员站点的年度报告未按时发布", "督促该单位尽快发布"),
    ("W610", "成员站点的搜索索引版本与其他成员不同", "请该站升级 xxgk 后重新构建"),
    ("I301", "来源中有未识别的列", "需要时在映射文件 columns 中写明对应的项", WARNING),
    ("I302", "来源缺少必填项，未导入", "在来源中补上，或在映射文件 columns/defaults 中指明", ERROR),
    ("I303", "必填项的值无法识别，未导入", "按提示改正来源中的值", ERROR),
    ("I304", "发布机构不在 departments.yml 中，未导入", "在映射文件 aliases.publisher 中写明对应的机构 id", ERROR),
    ("I305", "主题分类不在 topics.yml 中，该主题未导入", "在映射文件 aliases.topic 中写明对应的主题", WARNING),
    ("I306", "目录分类不在 catalog.yml 中，未导入", "在映射文件 aliases.category 中写明对应的节点 id", ERROR),
    ("I307", "选填项的值不可用，该项未导入", "按提示改正来源，或导入后补写", WARNING),
    ("I308", "条目无法写出，未导入", "按提示处理后重新导入", ERROR),
    ("I309", "缺少索引号且无法推算，未导入", "在来源中补上索引号，或核对 index_no_pattern", ERROR),
    ("I310", "含疑似植入的赌博类词语", "核实原网站是否被篡改，并在导入的条目中删除", WARNING),
    ("I311", "含读者看不到的文字，已删除", "核实原网站是否被篡改", WARNING),
    ("I312", "正文链接到外部网站", "核实后删除或保留", WARNING),
    ("I313", "来源已变化，条目未更新", "确认后用 --update 更新", WARNING),
    ("I314", "条目在导入后修改过，保留修改后的内容", "无需处理；确需以来源为准时手工合并", WARNING),
    ("I315", "索引号已被站内其他条目使用，未导入", "核对索引号", WARNING),
    ("I316", "来源中索引号重复，未导入", "同一条信息只导入一次", ERROR),
    ("I317", "来源文件无法读取", "按提示检查文件格式和编码", ERROR),
    ("I318", "映射文件无法读取", "确认文件存在、为 UTF-8 编码，并检查缩进、冒号和引号", ERROR),
    ("I319", "正文中的图片不在本地，未导入", "另行保存为附件", WARNING),
    ("I320", "选填项的值无法识别，该项未导入", "按提示改正来源，或导入后补写", WARNING),
    ("I321", "来源中没有索引号，已按规则分配", "确认分配的索引号（发布后不能更改）", WARNING),
)


def registered(name: str) -> Code:
    """The registered code. An unregistered one is a programming error: every Problem is
    made through here, so any test that makes it fails."""
    try:
        return CODES[name]
    except KeyError:
        raise KeyError(f"problem code {name} is not in core/codes.py") from None
