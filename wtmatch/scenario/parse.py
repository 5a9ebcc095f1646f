"""Parsing JSON and YAML that cannot be made to hang or blow up.

Every file wtmatch reads passes here. The same rules hold for JSON and YAML:

* at most :data:`MAX_BYTES` bytes, and nesting at most :data:`MAX_DEPTH` deep;
* a leading byte-order mark is dropped, any other undecodable byte refused;
* a key given twice in one mapping is refused (no "last one wins");
* YAML aliases may expand the document to at most :data:`MAX_VALUES` values
  (a few hundred bytes of nested aliases can stand for gigabytes: a "billion
  laughs"), and are refused when one refers to a value that contains it;
  YAML tags beyond the plain JSON types are refused, and YAML dates stay
  strings, as in JSON;
* integers of more than :data:`MAX_DIGITS` digits and strings holding lone
  surrogates (``"\\ud800"``, which no UTF-8 file can hold) are refused.

Each refusal is a :class:`~wtmatch.errors.ScenarioError` naming the place
(a path into the document, or a line and column), never a bare Python error.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from wtmatch.errors import Problem, ScenarioError

MAX_BYTES = 64 * 2**20
"""Largest file read (64 MiB; a national scenario in JSON is a few MiB)."""
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings (a scenario needs 6)."""
MAX_DIGITS = 30
"""Most digits of an integer literal (far beyond any field's range)."""
MAX_VALUES = 2_000_000
"""Most values a YAML document may expand to through its aliases."""


def parse_bytes(raw: bytes, yaml_allowed: bool = True, source: str | None = None) -> Any:
    """Parse a file's bytes as JSON (or, when allowed, YAML) into plain data.

    Raises
    ------
    ScenarioError
        With one problem that says where and why the bytes are refused.
    """
    if len(raw) > MAX_BYTES:
        _refuse(f"the file has {len(raw):,} bytes; at most {MAX_BYTES:,} are read", source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse(f"not UTF-8 text (byte {exc.start})", source)
    return parse_text(text, yaml_allowed, source)


def parse_text(text: str, yaml_allowed: bool = True, source: str | None = None) -> Any:
    """Parse JSON (or, when allowed, YAML) text into plain data; see the module's rules."""
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_BYTES:
        _refuse(f"the text has {len(text):,} characters; at most {MAX_BYTES:,} are read", source)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_int=_bounded_int,
                          parse_constant=_no_constant)
    except _Refused as exc:
        _refuse(str(exc), source)
    except RecursionError:
        _refuse(f"nested more than {MAX_DEPTH} levels deep", source)
    except json.JSONDecodeError as exc:
        json_error = f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        if not yaml_allowed:
            _refuse(json_error, source)
        data = _parse_yaml(text, source)
    _check_tree(data, source)
    return data


class _Refused(ValueError):
    """A value the parser will not take (raised from inside the JSON or YAML parser)."""


def _refuse(message: str, source: str | None, path: str = "") -> None:
    raise ScenarioError([Problem(path, message)], source=source) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key {key!r} is given twice in one object")
        out[key] = value
    return out


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of {len(literal.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(literal)


def _no_constant(name: str) -> float:
    raise _Refused(f"{name} is not a number JSON allows")


class _SafeLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors, aliases, duplicate keys or deep nesting."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                mark = event.start_mark
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep (line {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (list, dict)):
                continue        # unhashable: YAML's own error follows
            if key in seen:
                mark = key_node.start_mark
                raise _Refused(f"the key {key!r} is given twice in one mapping "
                               f"(line {mark.line + 1}, column {mark.column + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> int:
        digits = str(node.value).replace("_", "").lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise _Refused(f"an integer of {len(digits)} digits (at most {MAX_DIGITS}; "
                           f"line {node.start_mark.line + 1})")
        return super().construct_yaml_int(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _SafeLoader.construct_yaml_int)
# Dates stay the text they are, as in JSON: the models read dates from ISO strings.
_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            lambda loader, node: loader.construct_scalar(node))


def _parse_yaml(text: str, source: str | None) -> Any:
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            size = _expanded_size(root)
            if size > MAX_VALUES:
                raise _Refused(f"YAML aliases expand this document to {size:,} values or more; "
                               f"at most {MAX_VALUES:,} are read")
        return None if root is None else loader.construct_document(root)
    except _Refused as exc:
        _refuse(str(exc), source)
    except RecursionError:
        _refuse(f"nested more than {MAX_DEPTH} levels deep", source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        _refuse(f"neither valid JSON nor valid YAML{where}", source)
    except (ValueError, TypeError) as exc:      # e.g. an unhashable key
        _refuse(f"not valid YAML: {exc}", source)
    finally:
        loader.dispose()


def _expanded_size(root: yaml.Node) -> int:
    """How many values the node graph holds once every alias is expanded (capped).

    Aliases make the graph a DAG (or a cycle); counting paths with a memo per
    node costs one visit per node, however much the aliases multiply them.
    """
    memo: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            memo[key] = min(MAX_VALUES + 1, 1 + sum(memo[id(c)] for c in children))
            continue
        if key in memo:
            continue
        if key in on_path:
            raise _Refused("a YAML alias refers to a value that contains it")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in memo)
    return memo[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_tree(data: Any, source: str | None) -> None:
    """Depth, key types and strings of parsed data, walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            _refuse(f"nested more than {MAX_DEPTH} levels deep", source, path)
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    _refuse(f"the key {key!r} is not a string", source, path)
                _check_string(key, source, path)
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{k}]", depth + 1) for k, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(value, source, path)
        elif isinstance(value, float) and value != value:
            _refuse("NaN is not a number", source, path)
        elif not (value is None or isinstance(value, (bool, int, float))):
            # YAML dates, binary and the like: the format has strings for them
            _refuse(f"a {type(value).__name__} value; the format takes strings, numbers, "
                    "booleans, lists and mappings only (quote dates: \"2026-09-01\")",
                    source, path)


def _check_string(text: str, source: str | None, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        _refuse(f"a string holding a lone surrogate (character {exc.start}), which no UTF-8 "
                "file can hold", source, path)
