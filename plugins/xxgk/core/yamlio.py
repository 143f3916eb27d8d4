"""YAML reading that remembers line numbers, so every problem can name its line."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from xxgk.core.memo import Memo

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message

    def __reduce__(self):  # picklable (ParsedCache keeps errors too)
        return YamlError, (self.line, self.message)


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


class _Loader(_Base):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise YamlError(key_node.start_mark.line + 1, "键必须是文字")
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


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; line numbers are offset so that line 1 of `text` is `first_line`.

    Raises YamlError with a Chinese message on malformed input.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.context_mark or exc.problem_mark  # where the broken construct began
            line = (mark.line + 1) if mark else 1
            raise YamlError(line + first_line - 1, f"YAML 格式错误：{exc.problem or exc}") from None
        except yaml.YAMLError as exc:
            raise YamlError(first_line, f"YAML 格式错误：{exc}") from None
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


class ParsedCache:
    """Parsed front matter by its text (and first line): a rebuild parses only the front
    matter that changed, as constructing YAML in Python is most of reading 20,000 items.
    Callers must not change the LineDicts it returns."""

    def __init__(self, path: Path):
        self.memo = Memo(path, Path(__file__))

    def load_yaml(self, text: str, first_line: int = 1) -> Any:
        """load_yaml(), remembered (errors too)."""
        found = self.memo.get(
            (hashlib.sha1(text.encode("utf-8")).digest(), first_line), lambda: _load_or_error(text, first_line)
        )
        if isinstance(found, YamlError):
            raise YamlError(found.line, found.message)
        return found

    def save(self) -> None:
        self.memo.save()


def _load_or_error(text: str, first_line: int):
    try:
        return load_yaml(text, first_line)
    except YamlError as exc:
        return exc
