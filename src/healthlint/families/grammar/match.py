"""What healthlint keeps of a LanguageTool match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LtMatch:
    """One LanguageTool match (offsets in Python characters of the request text)."""

    offset: int
    length: int
    rule_id: str
    message: str
    category: str
    issue_type: str
    replacements: tuple[str, ...]

    def to_json(self) -> list[Any]:
        return [self.offset, self.length, self.rule_id, self.message, self.category, self.issue_type, self.replacements]

    @classmethod
    def from_json(cls, data: list[Any]) -> LtMatch:
        offset, length, rule_id, message, category, issue_type, replacements = data
        return cls(
            int(offset), int(length), str(rule_id), str(message), str(category), str(issue_type), tuple(replacements)
        )
