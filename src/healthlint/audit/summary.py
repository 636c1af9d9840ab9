"""The audit's summary: counts per rule code, the share of documents failing, the spin verdict
rate, and the same per source site; as JSON and as a table for the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from healthlint.audit.task import Tally
from healthlint.output.base import plural

#: Sites shown in the table (summary.json has them all).
TABLE_SITES = 20


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def _figures(tally: Tally) -> dict[str, Any]:
    n = tally.totals
    return {
        "documents": n["documents"],
        "unreadable": n["unreadable"],
        "failed": n["failed"],
        "share_failing": _share(n["failed"], n["documents"]),
        "words": n["words"],
        "spun": n["spun"],
        "spin_verdict_rate": _share(n["spun"], n["documents"] - n["unreadable"]),
        "findings": sum(tally.findings.values()),
    }


def build(tallies: Iterable[tuple[Tally, dict[str, Tally]]], names: dict[str, str], partitions: int) -> dict[str, Any]:
    """The summary of the finished partitions' tallies (overall, per site)."""
    total = Tally()
    sites: dict[str, Tally] = {}
    for tally, by_site in tallies:
        total.add(tally)
        for site, t in by_site.items():
            sites.setdefault(site, Tally()).add(t)
    summary = _figures(total)
    summary["partitions"] = partitions
    summary["codes"] = {
        code: {
            "name": names.get(code, ""),
            "findings": n,
            "documents": total.documents_with[code],
            "share_of_documents": _share(total.documents_with[code], total.totals["documents"]),
        }
        for code, n in sorted(total.findings.items())
    }
    if sites:
        ordered = sorted(sites.items(), key=lambda item: (-item[1].totals["documents"], item[0]))
        summary["sites"] = {site: _figures(t) for site, t in ordered}
    return summary


def table(summary: dict[str, Any]) -> str:
    """The summary laid out for a terminal."""
    lines = [
        f"{plural(summary['documents'], 'document')} ({summary['unreadable']} unreadable),"
        f" {plural(summary['words'], 'word')}, {plural(summary['partitions'], 'partition')}",
        f"failing: {summary['failed']} ({_percent(summary['share_failing'])});"
        f" judged spun: {summary['spun']} ({_percent(summary['spin_verdict_rate'])} of readable documents)",
        "",
        f"{'code':<7} {'name':<34} {'findings':>9} {'documents':>10} {'share':>7}",
    ]
    for code, row in sorted(summary["codes"].items(), key=lambda item: (-item[1]["documents"], item[0])):
        lines.append(
            f"{code:<7} {row['name'][:34]:<34} {row['findings']:>9} {row['documents']:>10}"
            f" {_percent(row['share_of_documents']):>7}"
        )
    sites = summary.get("sites")
    if sites:
        lines += ["", f"{'site':<40} {'documents':>10} {'failing':>8} {'spun':>7} {'findings':>9}"]
        for site, row in list(sites.items())[:TABLE_SITES]:
            lines.append(
                f"{site[:40]:<40} {row['documents']:>10} {_percent(row['share_failing']):>8}"
                f" {_percent(row['spin_verdict_rate']):>7} {row['findings']:>9}"
            )
        if len(sites) > TABLE_SITES:
            lines.append(f"... and {len(sites) - TABLE_SITES} more sites (summary.json lists them all)")
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"
