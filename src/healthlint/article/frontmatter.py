"""Front matter: the YAML block between ``---`` lines, and where its keys sit in the file."""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from healthlint.article.problems import ArticleError

if TYPE_CHECKING:
    import yaml

    from healthlint.article.model import Article


class Alias(NamedTuple):
    """Where an alias (``*name``) stands in the front matter, and the node it names."""

    node: yaml.Node
    name: str
    mark: Any  # a yaml.Mark, from PyYAML's C or Python parser


#: How deep front matter may nest, counting what aliases expand to: far beyond any real metadata,
#: well within what the YAML composer and the rules can recurse through.
MAX_DEPTH = 50


def expansion_limit(source: str) -> int:
    """How many nodes and characters front matter may expand to: aliases may reuse, not multiply."""
    return 2 * len(source) + 10_000


@functools.cache
def _front_matter_loader() -> type[yaml.SafeLoader]:
    """YAML's safe loader, except that an impossible date (``2024-02-30``) stays text for the date checks to report.

    It also refuses nesting beyond :data:`MAX_DEPTH` while composing (the composer recurses) and
    records where each alias stands, so that :func:`_check_expansion` can name its line.
    Built on first use: articles without front matter never import PyYAML.
    """
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.depth = 0
            self.aliases: list[Alias] = []

        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            is_alias = self.check_event(yaml.AliasEvent)
            event = self.current_event
            if is_alias:
                node = super().compose_node(parent, index)
                if node is not None:
                    self.aliases.append(Alias(node, str(event.anchor), event.start_mark))
                return node
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise ArticleError(
                        f"front matter nests deeper than {MAX_DEPTH} levels", *_file_position(event.start_mark)
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    def timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return loader.construct_yaml_timestamp(node)
        except ValueError:
            return loader.construct_scalar(node)

    def bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return loader.construct_yaml_int(node)
        except ValueError:  # more digits than Python converts
            limit = sys.get_int_max_str_digits()
            message = f"front matter holds a number of more than {limit} digits"
            raise ArticleError(message, *_file_position(node.start_mark)) from None

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_or_text)
    FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", bounded_int)
    return FrontMatterLoader


def _file_position(mark: Any) -> tuple[int, int]:
    """A YAML mark's line and column in the file (the front matter starts on the file's line 2)."""
    return mark.line + 2, mark.column + 1


def _check_expansion(root: yaml.Node, aliases: list[Alias], limit: int) -> None:
    """Refuse aliases that refer to themselves or make front matter grow beyond its limits.

    One pass over the node graph (an explicit stack: the graph may be deep), remembering the size
    and depth each node expands to, so shared nodes are measured once.

    :raises ArticleError: at the line of the alias at fault.
    """
    import yaml

    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if children_done:
            open_nodes.discard(key)
            size[key] = 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
            size[key] += sum(size[id(child)] for child in children)
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            continue
        if key in size:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                alias = next(alias for alias in aliases if alias.node is child)
                raise ArticleError(f"front matter alias *{alias.name} refers to itself", *_file_position(alias.mark))
            if id(child) not in size:
                stack.append((child, False))
    if size[id(root)] <= limit and depth[id(root)] <= MAX_DEPTH:
        return
    # The alias that grows it most is the one to name.
    alias = max(aliases, key=lambda alias: (size[id(alias.node)], -alias.mark.index))
    if depth[id(root)] > MAX_DEPTH:
        problem = f"makes it nest deeper than {MAX_DEPTH} levels"
    else:
        problem = f"makes it expand beyond {limit:,} characters"
    raise ArticleError(f"front matter alias *{alias.name} {problem}", *_file_position(alias.mark))


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _load(source: str) -> Any:
    """The front matter's value, its aliases checked before anything is built from them."""
    loader: Any = _front_matter_loader()(source)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if loader.aliases:
            _check_expansion(root, loader.aliases, expansion_limit(source))
        return loader.construct_document(root)
    finally:
        loader.dispose()


def read_front_matter(article: Article) -> None:
    """Read the front matter into ``article.meta``; any fault in it is an HL001 problem, and the body is still read."""
    lines = article.lines
    if not lines or lines[0].rstrip() != "---":
        return
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        if article.kind == "markdown":
            article.problems.append(ArticleError("front matter starts with '---' but is never closed", 1, 1))
        return
    article.meta_lines = (1, index + 1)
    source = "\n".join(lines[1:index])
    import yaml

    try:
        data = _load(source) if source.strip() else {}
    except ArticleError as exc:
        article.problems.append(exc)
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = _file_position(mark) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        article.problems.append(ArticleError(f"front matter is not valid YAML: {problem}", line, column))
        return
    if data is None:
        data = {}
    if not isinstance(data, dict):
        article.problems.append(
            ArticleError(f"front matter must be a mapping of keys to values, not {type(data).__name__}", 2, 1)
        )
        return
    article.meta = {str(k): v for k, v in data.items()}


def meta_line(article: Article, key: str) -> int:
    """The file line of a top-level front matter key (the front matter's first line if not found)."""
    if not article.meta_lines:
        return 1
    first, last = article.meta_lines
    # Built from the article's own keys: plain re.compile, so article text never fills the regex store.
    pattern = re.compile(rf"^([\"']?){re.escape(key)}\1\s*:")
    lines = article.lines
    for number in range(first + 1, min(last, len(lines) + 1)):
        if pattern.match(lines[number - 1]):
            return number
    return first
