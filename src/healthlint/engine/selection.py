"""What a run's code selection selects: one check shared by every command that checks articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from healthlint.config import Config
from healthlint.plugins import PluginManager
from healthlint.rules import Selection


@dataclass
class SelectionReport:
    """Warnings for codes that name no loaded rule, and the error when no rule would run at all."""

    warnings: list[str] = field(default_factory=list)
    error: str | None = None


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
    ]
    # The code of a plugin that was left out is no typo: say so, rather than that it names nothing.
    loaded = f" of the plugins loaded (not loaded: {', '.join(sorted(set(pm.left_out)))})" if pm.left_out else ""
    for where, codes in written:
        for code in codes:
            if not any(rule.startswith(code) for rule in pm.rules):
                report.warnings.append(f"{where}{code} names no rule{loaded} (see 'healthlint rules')")
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
