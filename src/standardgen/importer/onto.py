"""Apply a revised Word file to the standard it was published from, keeping what did not change.

The YAML is edited in place with ruamel.yaml, so the comments, ids and order of everything the
revision did not touch stay as the author wrote them. Sections and blocks are paired by the ids
the published .docx carries in bookmarks, then by equal text or role; difflib's opcodes on those
keys decide what is kept, replaced, inserted or removed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from standardgen.importer.yamlout import commented


def merge(root: CommentedMap, new: dict[str, Any]) -> None:
    """Change ``root`` (the existing standard) to say what ``new`` (the import) says."""
    for key in ("title", "version", "next_revision"):
        if key in new and root.get(key) != new[key]:
            root[key] = new[key]
    _update_map(root, "service", new["service"], ("name", "paragraph"))
    _update_map(root, "approval", new["approval"], ("body", "date"))
    _update_map(root, "contact", new["contact"], ("unit",))
    if plain(root.get("legal_basis")) != new["legal_basis"]:
        _update_legal(root["legal_basis"], new["legal_basis"])
    _merge_sections(root["sections"], new["sections"])


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _update_legal(old: CommentedSeq, new: list[dict[str, Any]]) -> None:
    """The law references, in order: each kept map is changed key by key (keeping comments)."""
    for index, ref in enumerate(new):
        if index >= len(old):
            old.append(commented(ref))
            continue
        for key in ("law", "paragraph", "text", "url"):
            if key in ref and old[index].get(key) != ref[key]:
                old[index][key] = _like(old[index].get(key), ref[key])
            elif key not in ref and key in old[index]:
                del old[index][key]
    while len(old) > len(new):
        del old[-1]


def _update_map(root: CommentedMap, key: str, new: dict[str, Any], fields: tuple[str, ...]) -> None:
    target = root.get(key)
    if not isinstance(target, dict):
        return
    for name in fields:
        value = new.get(name)
        if value is not None and not str(value).startswith("[[VEJLEDNING") \
                and target.get(name) != value:
            target[name] = value


def _merge_sections(old: CommentedSeq, new: list[dict[str, Any]]) -> None:
    old_keys = [str(s.get("id")) for s in old]
    remaining = list(old)
    keys: list[str] = []
    for section in new:
        match = _pair_section(section, remaining)
        if match is not None:
            remaining.remove(match)
            keys.append(str(match.get("id")))
        else:
            keys.append(f"\0new:{section['id']}")

    def update(old_item: CommentedMap, new_item: dict[str, Any]) -> CommentedMap:
        if old_item.get("title") != new_item["title"]:
            old_item["title"] = new_item["title"]
        _merge_content(old_item, new_item.get("content", []))
        return old_item

    _apply(old, old_keys, keys, new, update, pair_replaced=False)


def _pair_section(section: dict[str, Any], candidates: list[CommentedMap]) -> Any:
    for key in ("id", "role", "title"):
        if key == "role" and section["role"] == "other":
            continue
        found = next((s for s in candidates if s.get(key) == section[key]), None)
        if found is not None:
            return found
    return None


def _block_key(block: Any, position: int) -> Hashable:
    if isinstance(block, str):
        return ("text", str(block))
    if "list" in block:
        return ("list", block.get("id") or position)
    return ("paragraph", block.get("id"))


def _merge_content(section: CommentedMap, new: list[Any]) -> None:
    if not new:
        section.pop("content", None)
        return
    if "content" not in section:
        section["content"] = commented(new)
        return
    old = section["content"]
    # A paragraph moved or retyped to the same text (its bookmark lost) keeps its id.
    ids = {str(b["text"]): b["id"] for b in old if isinstance(b, dict) and "id" in b
           and "text" in b}
    present = {b.get("id") for b in new if isinstance(b, dict)}
    new = [{"id": ids[b], "text": b} if isinstance(b, str) and b in ids
           and ids[b] not in present else b for b in new]

    def keys(blocks: list[Any]) -> list[Hashable]:
        lists = 0
        out = []
        for block in blocks:
            out.append(_block_key(block, lists))
            if not isinstance(block, str) and "list" in block:
                lists += 1
        return out

    def update(old_item: Any, new_item: Any) -> Any:
        if isinstance(old_item, str):
            return _like(old_item, new_item) if old_item != new_item else old_item
        if "list" in old_item and isinstance(new_item, dict) and "list" in new_item:
            items = old_item["list"]
            _apply(items, [str(x) for x in items], [str(x) for x in new_item["list"]],
                   new_item["list"], lambda a, b: b)
            return old_item
        if isinstance(new_item, dict) and "text" in new_item and "text" in old_item:
            if old_item["text"] != new_item["text"]:
                old_item["text"] = _like(old_item["text"], new_item["text"])
            return old_item
        return commented(new_item)

    _apply(old, keys(list(old)), keys(new), new, update)


def _apply(old: CommentedSeq, old_keys: list[Any], new_keys: list[Any], new: list[Any],
           update: Callable[[Any, Any], Any], *, pair_replaced: bool = True) -> None:
    """Make ``old`` equal to ``new``: unchanged items stay (with their comments), paired items
    are updated in place, the rest inserted or deleted; from the end, so indices stay valid."""
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                old[i] = update(old[i], new[j])
        elif tag == "replace" and pair_replaced and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                old[i] = update(old[i], new[j]) if _same_kind(old[i], new[j]) \
                    else commented(new[j])
        else:
            for i in reversed(range(i1, i2)):
                del old[i]
            for offset, j in enumerate(range(j1, j2)):
                old.insert(i1 + offset, commented(new[j]))


_FOLD_WIDTH = 88


def _like(old: Any, new: Any) -> Any:
    """``new`` in the style of ``old``: a folded (``>-``) text stays folded, wrapped at about
    the width the standards are written in (ruamel would otherwise keep the style but not wrap)."""
    if not isinstance(old, FoldedScalarString) or not isinstance(new, str):
        return new
    folded = FoldedScalarString(new)
    positions, start = [], 0
    for index, char in enumerate(new):
        if char == " " and index - start > _FOLD_WIDTH:
            last = new.rfind(" ", start, index)
            cut = last if last > start else index
            positions.append(cut)
            start = cut + 1
    folded.fold_pos = positions
    return folded


def _same_kind(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str)
    return ("list" in a) == ("list" in b) and ("id" in a) == ("id" in b)
