"""YAML reading that remembers line numbers, so every problem can name its line."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from xxgk.core import safetext
from xxgk.core.model import Problem
from xxgk.infra.memo import Memo

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A file that cannot be read as data: its line, the Chinese message and the code (E101
    for malformed YAML, E113 for text holding a forbidden character)."""

    def __init__(self, line: int, message: str, code: str = "E101"):
        super().__init__(message)
        self.line = line
        self.message = message
        self.code = code

    def __reduce__(self):  # picklable (ParsedCache keeps errors too)
        return YamlError, (self.line, self.message, self.code)


class LineDict(dict):
    """A mapping from YAML with the line of the mapping and of each key (1-based)."""

    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class BadScalar:
    """A value YAML could not construct (e.g. the date 2018-02-30); kept so checks can report it."""

    def __init__(self, text: str, error: str):
        self.text = text
        self.error = error

    def __str__(self) -> str:
        return self.text


class _Loader(_Base):  # the C loader where libyaml is built in
    """YAML 1.1 as PyYAML reads it, narrowed so no value changes its text on the way in:
    only true/false are booleans, only plain decimal integers are numbers (0x10, 012, 12:30,
    1_000 and every float, .nan and .inf included, stay the text written), and a date that
    does not exist is a BadScalar wherever it stands (a key, a list entry), never a
    traceback. Every string is checked for control and bidi characters (safetext)."""


def _narrow_resolvers() -> dict:
    kept: dict = {}
    for first, resolvers in _Base.yaml_implicit_resolvers.items():
        rest = [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[1] in ("null", "timestamp", "merge")]
        if rest:
            kept[first] = rest
    for first in "-0123456789":
        kept.setdefault(first, []).append(("tag:yaml.org,2002:int", _INT))
    for first in "tTfF":
        kept.setdefault(first, []).append(("tag:yaml.org,2002:bool", _BOOL))
    return kept


_INT = re.compile(r"^(?:0|-?[1-9][0-9]*)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_Loader.yaml_implicit_resolvers = _narrow_resolvers()


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    text = loader.construct_scalar(node)
    problem = safetext.text_problem(text)
    if problem is not None:
        raise YamlError(node.start_mark.line + 1, problem, "E113")
    return text


def _construct_int(loader: _Loader, node: yaml.ScalarNode):
    """An explicit !!int or !!float keeps its text unless it is a plain decimal integer."""
    text = _construct_str(loader, node)
    return int(text) if _INT.match(text) else text


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        return BadScalar(str(node.value), str(exc))


def _refuse_tag(loader: _Loader, node: yaml.Node):
    raise YamlError(node.start_mark.line + 1, f"YAML 类型标记 {node.tag} 不可用；请去掉 !! 标记，直接写值")


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise YamlError(key_node.start_mark.line + 1, "键必须是文字（像日期的键请加引号）")
        try:
            value = loader.construct_object(value_node, deep=True)
        except ValueError as exc:
            value = BadScalar(str(value_node.value), str(exc))
        line = key_node.start_mark.line + 1
        if key in data:
            data.duplicates.append((key, line))
        data[key] = value
        data.key_lines[key] = line


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


# PyYAML's problems as staff can act on them: (words in its message, what to say, whether
# the line is where it noticed the problem rather than where the broken construct began).
_PROBLEMS = (
    ("tab character", "该行用了 Tab 制表符缩进；YAML 只能用空格缩进，请把 Tab 换成空格", True),
    ("cannot start any token", "值不能以 @、`、% 等符号开头；请给该值加上引号", True),
    ("mapping values are not allowed", "值里出现了“冒号加空格”；含冒号的值请用引号括起来", True),
    ("did not find expected key", "缩进不一致；同一层的键应对齐，子项比上一层多缩进两个空格", True),
    ("expected <block end>", "缩进不一致；同一层的键应对齐，子项比上一层多缩进两个空格", True),
    ("could not find expected ':'", "这一行缺少“键: 值”中的冒号，或上一行的引号没有闭合", False),
    ("expected ',' or ']'", "方括号 [ 没有闭合，或列表项之间缺少逗号", False),
    ("expected ',' or '}'", "花括号 { 没有闭合，或各项之间缺少逗号", False),
    ("unknown escape character", "双引号中的反斜杠 \\ 须写成 \\\\；或改用单引号", True),
    ("unexpected end of stream", "引号没有闭合", False),
    ("maximum nesting depth", "列表或映射嵌套层数过多；元数据只需一两层", False),
)
_ANCHORS = "用了 YAML 锚点或别名（& 或 *）；元数据请逐项写出，不要引用别处的值（带 * 或 & 的文字请加引号）"


def _refuse_anchors(text: str, first_line: int) -> None:
    """Anchors and aliases (& and *) are refused: nine nested aliases expand to a billion
    values (a "billion laughs"), and no field of docs/format.md needs them. Only texts that hold
    a & or * are scanned, event by event, which costs no construction."""
    if "&" not in text and "*" not in text:
        return
    loader = _Base(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlError(event.start_mark.line + first_line, _ANCHORS)
    except yaml.YAMLError:
        return  # malformed: load_yaml says where
    finally:
        loader.dispose()


def _message(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> YamlError:
    problem = str(exc.problem or exc)
    at = exc.problem_mark
    if at is not None and "\t" in (text.split("\n")[at.line : at.line + 1] or [""])[0]:
        problem = "tab character"  # libyaml says only "cannot start any token"
    known = [(message, at_problem) for words, message, at_problem in _PROBLEMS if words in problem]
    message, at_problem = known[0] if known else (f"{problem}；请检查该行及上一行的缩进、冒号和引号", False)
    mark = (exc.problem_mark if at_problem else None) or exc.context_mark or exc.problem_mark
    return YamlError((mark.line + 1 if mark else 1) + first_line - 1, f"YAML 格式错误：{message}")


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; line numbers are offset so that line 1 of `text` is `first_line`.

    Raises YamlError with a Chinese message on malformed input, anchors and aliases,
    and nesting too deep to construct.
    """
    _refuse_anchors(text, first_line)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as exc:
            raise _message(exc, text, first_line) from None
        except yaml.YAMLError as exc:
            raise YamlError(first_line, f"YAML 格式错误：{exc}") from None
        except RecursionError:
            raise YamlError(first_line, "YAML 嵌套层数过多；元数据只需一两层列表或映射") from None
        except YamlError as exc:  # raised while constructing: lines are the text's own
            raise YamlError(exc.line + first_line - 1, exc.message, exc.code) from None
    finally:
        loader.dispose()
    if first_line != 1:
        _shift(data, first_line - 1)
    return data


def _shift(value, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        value.duplicates = [(k, v + offset) for k, v in value.duplicates]
        for child in value.values():
            _shift(child, offset)
    elif isinstance(value, list):
        for child in value:
            _shift(child, offset)


NOT_UTF8 = "文件不是 UTF-8 编码（可能是 GBK）；请用记事本或 WPS“另存为”UTF-8 编码后再提交"


def read_yaml_file(path: Path, shown: str, problems: list[Problem], code: str | None = None) -> tuple[bool, Any]:
    """(True, the data of the YAML file at `path`; None when it is empty), or (False, None)
    after reporting why it cannot be read: not UTF-8 (E101), malformed YAML or a forbidden
    character (the YamlError's own code). A file kind with a code of its own for "cannot be
    read" passes it as `code` (E400 a case file), and it stands for all three."""
    try:
        return True, load_yaml(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(shown, 1, code or "E101", NOT_UTF8))
    except YamlError as exc:
        problems.append(Problem(shown, exc.line, code or exc.code, exc.message))
    return False, None


class ParsedCache:
    """Parsed front matter by its text (and first line): a rebuild parses only the front
    matter that changed, as constructing YAML in Python is most of reading 20,000 items.
    Callers must not change the LineDicts it returns."""

    def __init__(self, path: Path, write: bool = True):
        self.memo = Memo(path, Path(__file__), write)

    def load_yaml(self, text: str, first_line: int = 1) -> Any:
        """load_yaml(), remembered (errors too)."""
        found = self.memo.get(
            (hashlib.sha1(text.encode("utf-8")).digest(), first_line), lambda: _load_or_error(text, first_line)
        )
        if isinstance(found, YamlError):
            raise YamlError(found.line, found.message, found.code)
        return found

    def save(self) -> None:
        self.memo.save()


def _load_or_error(text: str, first_line: int):
    try:
        return load_yaml(text, first_line)
    except YamlError as exc:
        return exc
