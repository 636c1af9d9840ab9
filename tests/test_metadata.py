"""Authorship and currency (HL311-HL315): author, reviewer and review date in the front matter.

Every example here is written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from healthlint.config import ConfigError
from healthlint.families.metadata.dates import parse_date
from healthlint.model import Finding, Report, Severity


def findings(report: Report, prefix: str = "HL31") -> list[Finding]:
    return [f for a in report.articles for f in a.findings if f.code.startswith(prefix)]


def codes(report: Report) -> list[str]:
    return [f.code for f in findings(report)]


def metadata_config(**options: Any) -> dict[str, Any]:
    return {"plugins": {"metadata": {key.replace("_", "-"): value for key, value in options.items()}}}


# -- Currency and authorship -------------------------------------------------------------------

FRONT = "---\ntitle: Heat or ice\nauthor: Ana Ruiz, RN\nreviewed_by: Dr. Ben Osei\nlast_reviewed: 2025-06-01\n---\n"
BODY = "Heat eases stiff muscles.\n"
AS_OF = metadata_config(as_of="2026-01-15")


def meta_findings(lint: Any, text: str, **options: Any) -> list[Finding]:
    config = metadata_config(as_of="2026-01-15", **options)
    return findings(lint(text, select=["HL31"], config=config), "HL31")


def test_complete_front_matter_passes(lint: Any) -> None:
    assert meta_findings(lint, FRONT + BODY, require_reviewer=True) == []


def test_missing_author_and_review_date(lint: Any) -> None:
    found = meta_findings(lint, "---\ntitle: Heat or ice\n---\n" + BODY)
    assert [(f.code, f.line) for f in found] == [("HL311", 1), ("HL313", 1)]
    assert "author" in found[0].message and "review date" in found[1].message


@pytest.mark.parametrize("byline", ["admin", "Staff writer", "Editorial Team", "N/A"])
def test_generic_bylines_are_not_authors(lint: Any, byline: str) -> None:
    (finding,) = meta_findings(lint, FRONT.replace("Ana Ruiz, RN", byline) + BODY)
    assert finding.code == "HL311" and finding.line == 3 and byline in finding.message


def test_reviewer_is_checked_only_when_required(lint: Any) -> None:
    text = FRONT.replace("reviewed_by: Dr. Ben Osei\n", "") + BODY
    assert meta_findings(lint, text) == []
    (finding,) = meta_findings(lint, text, require_reviewer=True)
    assert finding.code == "HL312"
    generic = FRONT.replace("Dr. Ben Osei", "Editorial team") + BODY
    assert [f.code for f in meta_findings(lint, generic, require_reviewer=True)] == ["HL312"]


def test_an_old_review_is_a_warning_on_the_key_line(lint: Any) -> None:
    (finding,) = meta_findings(lint, FRONT.replace("2025-06-01", "2022-03-10") + BODY)
    assert finding.code == "HL314" and finding.line == 5 and finding.severity is Severity.WARNING
    assert "2022-03-10" in finding.message and "3.9 years" in finding.message
    assert meta_findings(lint, FRONT.replace("2025-06-01", "2022-03-10") + BODY, max_review_age_days=3650) == []


def test_the_most_recent_update_counts(lint: Any) -> None:
    text = FRONT.replace("last_reviewed: 2025-06-01", "last_reviewed: 2019-01-01\nupdated: 2025-11-30") + BODY
    assert meta_findings(lint, text) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2025-02-30", "not a real date"),
        ('"04/03/2025"', "ambiguous"),
        ("last spring", "not a date healthlint can read"),
        ("2025", "is not a date"),
        ("2027-01-01", "in the future"),
    ],
)
def test_malformed_dates_are_reported_on_the_key_line(lint: Any, value: str, problem: str) -> None:
    found = meta_findings(lint, FRONT.replace("2025-06-01", value) + BODY)
    bad = [f for f in found if f.code == "HL315"]
    assert len(bad) == 1 and bad[0].line == 5, found
    assert problem in bad[0].message and "last_reviewed" in bad[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-04", "2025-03-04"),
        ("2025/3/4", "2025-03-04"),
        ("4 March 2025", "2025-03-04"),
        ("March 4, 2025", "2025-03-04"),
        ("Mar. 4 2025", "2025-03-04"),
        ("2025-03-04T10:30:00Z", "2025-03-04"),
        ("2025-03", "2025-03-01"),
        ("25/03/2025", "2025-03-25"),
    ],
)
def test_parse_date_reads_common_forms(value: str, expected: str) -> None:
    parsed, problem = parse_date(value)
    assert problem is None and parsed is not None and parsed.isoformat() == expected


def test_metadata_checks_skip_plain_text_and_articles_without_front_matter(lint: Any) -> None:
    assert meta_findings(lint, BODY) == []
    plain = lint("---\ntitle: x\n---\n" + BODY, select=["HL31"], config=AS_OF, name="a.txt")
    assert findings(plain) == []
    assert [f.code for f in meta_findings(lint, BODY, check_metadata="always")] == ["HL311", "HL313"]
    config = metadata_config(as_of="2026-01-15", metadata_in_plain_text=True)
    plain = lint("---\ntitle: x\n---\n" + BODY, select=["HL31"], config=config, name="a.txt")
    assert codes(plain) == ["HL311", "HL313"]


def test_bad_options_are_configuration_errors(lint: Any) -> None:
    with pytest.raises(ConfigError, match="check-metadata"):
        lint(BODY, config=metadata_config(check_metadata="sometimes"))
    with pytest.raises(ConfigError, match="as-of"):
        lint(BODY, config=metadata_config(as_of="soon"))


@pytest.mark.parametrize("key", ["require-reviewer", "max-review-age-days", "as-of", "check-metadata"])
def test_the_old_claims_table_names_the_metadata_table(lint: Any, key: str) -> None:
    # The config is given as healthlint.toml spells it: the table is [plugins.metadata] there.
    with pytest.raises(ConfigError, match=rf"plugins\.claims\.{key}: .* in \[plugins\.metadata\] instead"):
        lint(BODY, config={"plugins": {"claims": {key: "x"}}})
