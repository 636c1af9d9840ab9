"""What a run's code selection selects: one check shared by every command that checks articles."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.config import Config, key_line
from healthlint.plugins import PluginManager
from healthlint.rules import Selection


@dataclass
class SelectionReport:
    """Warnings for codes that name no loaded rule, and the error when no rule would run at all."""

    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def _did_you_mean(code: str, pm: PluginManager) -> str:
    """``; did you mean HL303?`` for ``HL330``: a code with the same characters (two swapped), else a close one."""
    if len(code) < 5:  # a family prefix (HL9): any code "close" to it would be a guess
        return ""
    codes = sorted(pm.rules)
    swapped = [rule for rule in codes if len(rule) == len(code) and sorted(rule) == sorted(code)]
    close = swapped or difflib.get_close_matches(code, codes, n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


def _line(file_config: Config, where: str, code: str) -> str:
    """`` (line 4)``: where the config file writes the code (a table's key, or the list that holds it); or ``""``."""
    if file_config.source is None or not where.startswith(str(file_config.source)):
        return ""
    key = where[len(f"{file_config.source}: ") :].rstrip(": ")
    if key.endswith("severity"):
        key += f".{code}"
    line = key_line(Path(file_config.source), key)
    return f" (line {line})" if line else ""


def check_selection(
    file_config: Config,
    pm: PluginManager,
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
) -> SelectionReport:
    """Each code or prefix that names no loaded rule (a typo selects or ignores nothing, silently), and whether
    any rule would run (when none would, every article would pass unchecked).

    ``select``, ``extend_select`` and ``ignore`` are the command line's; ``file_config`` is the config file's,
    ``pm.config`` the two merged.
    """
    report = SelectionReport()
    prefix = f"{file_config.source}: {file_config.key_prefix}" if file_config.source else ""
    written: list[tuple[str, list[str]]] = [
        ("--select ", list(select or [])),
        ("--extend-select ", list(extend_select)),
        ("--ignore ", list(ignore)),
    ]
    if select is None:
        written.append((f"{prefix}select: ", list(file_config.select or [])))
    written += [
        (f"{prefix}extend-select: ", list(file_config.extend_select)),
        (f"{prefix}ignore: ", list(file_config.ignore)),
        # A site's policy names codes too: a typo there changes nothing, as silently.
        (f"{prefix}severity: ", list(file_config.severity)),
        *((f"{prefix}per-file-ignores.{glob}: ", list(codes)) for glob, codes in file_config.per_file_ignores.items()),
    ]
    # The code of a plugin that was left out is no typo: say so, rather than that it names nothing.
    loaded = f" of the plugins loaded (not loaded: {', '.join(sorted(set(pm.left_out)))})" if pm.left_out else ""
    for where, codes in written:
        for code in codes:
            if not any(rule.startswith(code) for rule in pm.rules):
                line = _line(file_config, where, code)
                report.warnings.append(
                    f"{where}{code} names no rule{loaded}{_did_you_mean(code, pm)} (see 'healthlint rules'){line}"
                )
    if not Selection.of(pm.config, pm.rules).any_selected(""):
        config = pm.config
        parts = [f"select {','.join(config.select)}"] if config.select is not None else []
        parts += [f"extend-select {','.join(config.extend_select)}"] if config.extend_select else []
        parts += [f"ignore {','.join(config.ignore)}"] if config.ignore else []
        report.error = (
            f"no rule would run ({'; '.join(parts)}), so every article would pass unchecked;"
            " see 'healthlint rules' for the codes"
        )
    return report
