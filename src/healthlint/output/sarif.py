"""SARIF 2.1.0 for code scanning: the rules with their documentation, every finding with its region."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from healthlint.model import Finding, Report, Severity, located_fingerprint
from healthlint.output.base import Reporter
from healthlint.output.github import repo_path
from healthlint.rules import DOC_SECTIONS, Rule, doc_sections

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}


def information_uri() -> str | None:
    """The project's home page from its installed metadata (``[project.urls]``), if it declares one.

    SARIF viewers link the tool's name to it; a made-up address would send users to a page that does not exist.
    """
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls: list[str] = metadata("healthlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        url = entry.partition(",")[2].strip()
        if url.startswith(("https://", "http://")):
            return url
    return None


def _rule_help(doc: str) -> str:
    sections = doc_sections(doc)
    return "\n\n".join(f"## {title}\n{sections[title]}" for title in DOC_SECTIONS if title in sections)


class SarifReporter(Reporter):
    """SARIF 2.1.0: the rules with their documentation, and every finding with its region."""

    name = "sarif"
    description = "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)"

    def finish(self, report: Report) -> None:
        self.out.write(json.dumps(self.document(report), indent=2, ensure_ascii=False) + "\n")

    def document(self, report: Report) -> dict[str, Any]:
        """The SARIF log. healthlint's own rules are the driver's; each plugin's (another distribution's, a local
        file's) are the rules of a ``tool.extensions`` component named after the plugin, with its distribution's
        version (SARIF 2.1.0 §3.18.3, §3.19), and their results point there (``rule.toolComponent``)."""
        from healthlint import __version__

        rules = sorted(self.rules.values(), key=lambda r: r.code)
        components: dict[str, list[Rule]] = {}  # plugin name -> its rules, in the extensions' order
        own: list[Rule] = []
        for rule in rules:
            info = self.plugins.get(rule.plugin)
            if info is None or info.builtin:
                own.append(rule)
            else:
                components.setdefault(rule.plugin, []).append(rule)
        extensions = sorted(components)
        index: dict[str, tuple[int | None, int]] = {rule.code: (None, i) for i, rule in enumerate(own)}
        for e, plugin in enumerate(extensions):
            index.update({rule.code: (e, i) for i, rule in enumerate(components[plugin])})
        results = [self._result(f, index) for a in report.articles for f in a.findings]
        home = information_uri()
        return {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "healthlint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            **({"informationUri": home} if home else {}),
                            "rules": [self._descriptor(rule) for rule in own],
                        },
                        **(
                            {"extensions": [self._component(plugin, components[plugin]) for plugin in extensions]}
                            if extensions
                            else {}
                        ),
                    },
                    "invocations": [
                        {
                            "executionSuccessful": True,
                            "toolExecutionNotifications": [
                                {"level": "warning", "message": {"text": n.message}, "descriptor": {"id": n.code}}
                                for n in report.notices
                            ],
                        }
                    ],
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }

    def _descriptor(self, rule: Rule) -> dict[str, Any]:
        return {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": doc_sections(rule.doc).get("What it flags", rule.summary)},
            "help": {"text": _rule_help(rule.doc) or rule.summary, "markdown": _rule_help(rule.doc) or rule.summary},
            "defaultConfiguration": {
                "level": SARIF_LEVELS[self.config.severity_for(rule.code, rule.severity)],
                "enabled": True,
            },
            "properties": {"plugin": rule.plugin, "tags": ["health-content"]},
        }

    def _component(self, plugin: str, rules: list[Rule]) -> dict[str, Any]:
        """A plugin as a SARIF tool component: its name, its distribution's version (a local file or an object
        handed in has none of its own: where it came from instead), and its rules."""
        info = self.plugins[plugin]
        versioned = info.package not in ("local", "extra") and info.version
        component: dict[str, Any] = {"name": plugin}
        if versioned:
            component["version"] = info.version
        component["properties"] = {"package": info.package, "source": info.source}
        component["rules"] = [self._descriptor(rule) for rule in rules]
        return component

    def _result(self, f: Finding, index: dict[str, tuple[int | None, int]]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": SARIF_LEVELS[f.severity],
            "message": {"text": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(repo_path(f.path))},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
            # v1 was the fingerprint alone, the same in every article missing the same statement.
            "partialFingerprints": {
                "healthlintFingerprint/v2": located_fingerprint(self.config.relative(f.path), f.fingerprint())
            },
        }
        if f.code in index:
            component, at = index[f.code]
            if component is None:
                result["ruleIndex"] = at  # the driver's rules
            else:
                result["rule"] = {"id": f.code, "index": at, "toolComponent": {"index": component}}
        if f.match:
            result["locations"][0]["physicalLocation"]["region"]["snippet"] = {"text": f.match}
        return result
