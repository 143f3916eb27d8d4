"""Names in the old system → the catalog's ids: by id, by exact name, by the mapping file's aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.core.load import Content

_SPACE = re.compile(r"[\s\u3000]+")
_AS_PART = re.compile(r"[（(](?:含|包括)[^）)]*[）)]")  # 城乡建设（含住房）: the note in brackets


def _key(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass
class Names:
    publishers: dict[str, str]  # name, id or alias → department id
    categories: dict[str, str]  # name, id, path or alias → node id
    topics: dict[str, str]  # name or alias → topic name
    org_codes: dict[str, str]  # department id → org code

    @classmethod
    def of(cls, content: Content, aliases: dict[str, dict[str, str]]) -> Names:
        pubs: dict[str, str] = {}
        for dep in content.departments.values():
            pubs[_key(dep.name)] = pubs[dep.id] = dep.id
        cats: dict[str, str] = {}
        for node in content.catalog.walk():
            path = "/".join(n.name for n in [*node.ancestors, node])
            cats.setdefault(_key(node.name), node.id)  # a name used twice: the first node, by path below
            cats[_key(path)] = cats[node.id] = node.id
        topics = {_key(t): t for t in content.topics}
        names = cls(pubs, cats, topics, {d.id: d.org_code for d in content.departments.values()})
        for kind, table in (("publisher", names.publishers), ("category", names.categories), ("topic", names.topics)):
            for alias, target in (aliases.get(kind) or {}).items():
                resolved = table.get(_key(str(target)))
                if resolved:
                    table[_key(str(alias))] = resolved
        return names

    def publisher(self, name: str) -> str | None:
        return self.publishers.get(_key(name))

    def category(self, name: str) -> str | None:
        key = _key(name).replace(">", "/").replace("＞", "/").replace("›", "/")
        return self.categories.get(key) or self.categories.get(key.rsplit("/", 1)[-1])

    def topic(self, name: str) -> str | None:
        """A topic name or alias; in a hierarchy (`综合政务\\政务公开`, `科技、教育/科技`) the deepest
        level the site knows; 城乡建设 for 城乡建设、环境保护; 城乡建设（含住房） as 城乡建设."""
        levels = [_key(p) for p in re.split(r"[\\/／＼>＞]", name) if _key(p)]
        for key in [_key(name), *reversed(levels)]:
            for form in (key, _AS_PART.sub("", key)):
                if form in self.topics:
                    return self.topics[form]
                # a part of exactly one topic's name
                parts = [t for t in self.topics.values() if form in t.split("、")]
                if len(parts) == 1:
                    return parts[0]
        return None
