"""Front matter: the YAML block between ``---`` lines, and where its keys sit in the file."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from healthlint.article.problems import ArticleError

if TYPE_CHECKING:
    import yaml

    from healthlint.article.model import Article


@functools.cache
def _front_matter_loader() -> type[yaml.SafeLoader]:
    """YAML's safe loader, except that an impossible date (``2024-02-30``) stays text for the date checks to report.

    Built on first use: articles without front matter never import PyYAML.
    """
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        pass

    def timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return loader.construct_yaml_timestamp(node)
        except ValueError:
            return loader.construct_scalar(node)

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_or_text)
    return FrontMatterLoader


def read_front_matter(article: Article) -> None:
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
        data = yaml.load(source, Loader=_front_matter_loader()) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        article.problems.append(ArticleError(f"front matter is not valid YAML: {problem}", line, column))
        return
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
