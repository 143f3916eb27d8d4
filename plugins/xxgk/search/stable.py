"""Make a Pagefind index depend only on its input (issue 7: byte-identical builds).

Pagefind (1.5, pagefind/src/index/mod.rs) keeps filters and sort orders in Rust
HashMaps, whose order is random per process: each filter file lists its values in that
order, and pagefind.<hash>.pf_meta lists the filters and the sorts in it. The files are
named by a hash of their content, so the names, the meta file naming them and
pagefind-entry.json naming the meta file change from run to run too.

This sorts those lists, re-encodes the files and names them as Pagefind does. The
runtime reads filter values into a BTreeMap, so their order means nothing to it. Word
index chunks (words sorted, pages in page order) are already stable and are kept byte
for byte.

Fragments (JSON of BTreeMaps, stable too) carry the item's own text instead of the
indexed words when `texts` gives it by URL: the words are characters and run-end marks, useless to read, while
search.js cuts excerpts with punctuation, digits and Latin letters as written from the
text, which is also about a third of the words' size. Such a fragment is named by a hash
of what it now holds, and the meta file's page list names it so.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import cbor2

# Pagefind's binary files: gzip of this signature followed by CBOR (output/mod.rs write()).
SIGNATURE = b"pagefind_dcd"
# zlib's default: level 9 took twice the time for the same bytes (a fragment of 4.4 KB:
# 110 µs against 55 µs, 1,289 bytes either way), 1.1 s of a build at 20,000 items
LEVEL = 6
ENTRY = "pagefind-entry.json"


class FormatError(ValueError):
    """Pagefind wrote something this module does not know (another Pagefind version)."""


def _hash(body: bytes) -> str:
    """utils.rs full_hash: SHA-1 of the CBOR, each byte as `{:x?}`, i.e. hex without zero padding."""
    return "".join(format(b, "x") for b in hashlib.sha1(body).digest())


def _decode(files: dict[str, bytes], path: str):
    try:
        raw = gzip.decompress(files[path])
        if not raw.startswith(SIGNATURE):
            raise ValueError("缺少 pagefind_dcd 标记")
        return cbor2.loads(raw[len(SIGNATURE) :])
    except (KeyError, OSError, EOFError, ValueError, cbor2.CBORDecodeError) as exc:
        raise FormatError(
            f"Pagefind 输出的 {path} 无法按已知格式读取（{exc}）；pagefind 的版本应为 requirements.lock 中锁定的版本"
        ) from None


def _shape(path: str, exc: Exception) -> FormatError:
    """A file Pagefind wrote that decodes but is not laid out as the locked version lays it out."""
    return FormatError(
        f"Pagefind 输出的 {path} 结构与已知格式不符（{exc}）；pagefind 的版本应为 requirements.lock 中锁定的版本"
    )


def chunks(meta: bytes, name: str) -> list[list[str]]:
    """A meta file's word index chunks as [first word, last word, file name], in Pagefind's
    order: a word's chunk is the first whose range holds it (index/mod.rs chunk_meta). The
    manifest gives the newest shard's (search/index.py), so search.js can fetch the chunks a
    query needs beside the meta file instead of after it."""
    decoded = _decode({name: meta}, name)
    try:
        return [[str(first), str(last), str(file)] for first, last, file in decoded[2]]
    except (TypeError, ValueError, IndexError) as exc:
        raise _shape(name, exc) from None


def _encode(value) -> tuple[bytes, bytes]:
    """(CBOR body, file content). mtime=0 keeps the gzip header free of the build time."""
    body = cbor2.dumps(value)
    return body, gzip.compress(SIGNATURE + body, compresslevel=LEVEL, mtime=0)


def _short(language: str, full: str, taken: set[str]) -> str:
    """The filter file name: language_ and 7 hex digits, longer on a clash (index/mod.rs)."""
    hashed = f"{language}_{full}"
    short = hashed[: len(language) + 8]
    while short in taken and len(short) < len(hashed):
        short = hashed[: len(short) + 2]
    taken.add(short)
    return short


def _with_text(files: dict[str, bytes], out: dict[str, bytes], language: str, texts: dict[str, str]) -> dict:
    """Fragments of `language` with their text (see the module doc): old name → new name."""
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for path in sorted(p for p in files if p.startswith(f"fragment/{language}_")):
        try:
            raw = gzip.decompress(files[path])
            fragment = json.loads(raw[len(SIGNATURE) :])
        except (OSError, EOFError, ValueError) as exc:
            raise FormatError(f"Pagefind 输出的 {path} 无法按已知格式读取（{exc}）") from None
        text = texts.get(fragment.get("url"))
        if text is None:
            continue
        fragment["content"] = text
        body = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        name = _short(language, _hash(body), taken)
        del out[path]
        out[f"fragment/{name}.pf_fragment"] = gzip.compress(SIGNATURE + body, compresslevel=LEVEL, mtime=0)
        renamed[path[len("fragment/") : -len(".pf_fragment")]] = name
    return renamed


def normalise(files: dict[str, bytes], texts: dict[str, str] | None = None) -> dict[str, bytes]:
    """Pagefind's files by path (as get_files() gives them) → the same index in a stable form;
    fragments hold the text `texts` gives by URL."""
    entry = json.loads(files[ENTRY])
    out = {p: c for p, c in files.items() if not (p.startswith("filter/") or p.endswith(".pf_meta"))}
    entry["languages"] = dict(sorted(entry["languages"].items()))
    for language, info in entry["languages"].items():
        meta_path = f"pagefind.{info['hash']}.pf_meta"
        meta = _decode(files, meta_path)
        try:
            version, pages, chunks, filters, sorts, *rest = meta
            renamed = _with_text(files, out, language, texts or {})
            pages = [[renamed.get(page, page), *more] for page, *more in pages]
            taken: set[str] = set()
            stable_filters = []
            for name, old in sorted(filters):
                filter_name, values = _decode(files, f"filter/{old}.pf_filter")
                body, content = _encode([filter_name, sorted(values, key=lambda v: v[0])])
                short = _short(language, _hash(body), taken)
                out[f"filter/{short}.pf_filter"] = content
                stable_filters.append([name, short])
        except FormatError:
            raise
        except (TypeError, ValueError) as exc:
            raise _shape(meta_path, exc) from None
        body, content = _encode([version, pages, chunks, stable_filters, sorted(sorts, key=lambda s: s[0]), *rest])
        # The meta name cuts the bare hash, not language_hash (index/mod.rs: meta_hash).
        info["hash"] = f"{language}_{_hash(body)[: len(language) + 8]}"
        out[f"pagefind.{info['hash']}.pf_meta"] = content
    out[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out
