"""Rule documentation for the editor: the hover text of a finding, and the link a diagnostic carries.

An editor opens a diagnostic's ``codeDescription`` link when the code is clicked. healthlint's
rule documentation ships inside the package, not on a web site, so by default the link is a
local Markdown file holding the rule's documentation (written once to the data cache folder);
a team with its own rule pages sets ``ruleDocsUrl`` in the client's initialization options
(``{code}``, ``{name}`` and ``{plugin}`` are filled in).
"""

from __future__ import annotations

from pathlib import Path

from healthlint.model import Finding
from healthlint.rules import DOC_SECTIONS, Rule, doc_sections
from healthlint.storage.atomic import write_atomically
from healthlint.storage.datacache import data_cache_dir


def rule_markdown(rule: Rule) -> str:
    """A rule's documentation as one Markdown page (what ``healthlint rules CODE`` prints)."""
    sections = doc_sections(rule.doc)
    body = "\n\n".join(f"## {title}\n{sections[title]}" for title in DOC_SECTIONS if sections.get(title))
    head = f"# {rule.code} {rule.name}\n\n{rule.summary}\n\nDefault severity: {rule.severity}"
    if rule.plugin:
        head += f" · plugin: {rule.plugin}"
    return f"{head}\n\n{body}\n" if body else f"{head}\n"


def hover_markdown(finding: Finding, rule: Rule | None) -> str:
    """What hovering over a finding shows: the finding, then its rule's documentation."""
    lines = [f"**{finding.code}** `{finding.name}` ({finding.severity}): {finding.message}"]
    if finding.suggestion:
        lines.append(f"*Suggestion:* {finding.suggestion}")
    if rule is not None:
        lines.append(rule_markdown(rule))
    return "\n\n".join(lines)


class RuleLinks:
    """The ``codeDescription`` link of each rule, made on first use."""

    def __init__(self, template: str | None = None, folder: Path | None = None) -> None:
        self.template = template
        self.folder = folder if folder is not None else data_cache_dir() / "rule-docs"
        self._links: dict[str, str | None] = {}

    def link(self, rule: Rule) -> str | None:
        """The rule's documentation link; None when no page could be written."""
        if rule.code not in self._links:
            self._links[rule.code] = self._make(rule)
        return self._links[rule.code]

    def _make(self, rule: Rule) -> str | None:
        if self.template:
            return self.template.format(code=rule.code, name=rule.name, plugin=rule.plugin)
        page = self.folder / f"{rule.code}.md"
        text = rule_markdown(rule).encode()
        try:
            current = page.read_bytes()
        except OSError:
            current = None
        if current != text and not write_atomically(page, text):
            return None
        return page.resolve().as_uri()
