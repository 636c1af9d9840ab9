"""The error an article that cannot be read or parsed is reported with."""

from __future__ import annotations


class ArticleError(Exception):
    """An article that cannot be read or parsed; reported as HL001 on that article."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
