"""YAML in, with the line of every key and item (for `path:line: message`), and canonical YAML out."""
from __future__ import annotations

import yaml


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based) and its own line."""

    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}


class LineList(list):
    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: list[int] = []


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _build(node, constructor, duplicates: list[tuple[int, str]]):
    if isinstance(node, yaml.MappingNode):
        result = LineDict()
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = _build(key_node, constructor, duplicates)
            if isinstance(key, (dict, list)):
                key = str(key)
            if key in result:
                duplicates.append((key_node.start_mark.line + 1, str(key)))
            result[key] = _build(value_node, constructor, duplicates)
            result.lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LineList()
        result.line = node.start_mark.line + 1
        for item in node.value:
            result.append(_build(item, constructor, duplicates))
            result.lines.append(item.start_mark.line + 1)
        return result
    return constructor.construct_object(node, deep=True)


def yaml_load_with_lines(text: str, *, line_offset: int = 0):
    """Parse one YAML document. Returns (value, [(line, duplicate key)]); raises YamlProblem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = getattr(error, "problem", None) or str(error)
        raise YamlProblem(line, problem)
    if node is None:
        return None, []
    duplicates: list[tuple[int, str]] = []
    constructor = yaml.SafeLoader("")
    value = _build(node, constructor, duplicates)
    if line_offset:
        _shift(value, line_offset)
    return value, [(line + line_offset, key) for line, key in duplicates]


def _shift(value, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.lines = {key: line + offset for key, line in value.lines.items()}
        for item in value.values():
            _shift(item, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.lines = [line + offset for line in value.lines]
        for item in value:
            _shift(item, offset)


class CanonicalDumper(yaml.SafeDumper):
    """Block style, keys in the order given, Unicode as is, long texts on one line."""


def _represent_str(dumper, data: str):
    # A text with line breaks is written as a literal block so that it stays readable.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


CanonicalDumper.add_representer(str, _represent_str)


def yaml_dump_canonical(data) -> str:
    return yaml.dump(data, Dumper=CanonicalDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1_000_000, indent=2)
