"""Decoding an article file's bytes: the one byte-order-mark table."""

from __future__ import annotations

import codecs

from healthlint.article.problems import ArticleError

#: Byte-order marks and the encoding each announces; UTF-32-LE before UTF-16-LE, whose mark begins it.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_bom(data: bytes) -> tuple[bytes, str]:
    """The byte-order mark ``data`` starts with and its encoding; ``(b"", "utf-8")`` when it has none."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return bom, encoding
    return b"", "utf-8"


def decode(data: bytes) -> tuple[str, list[ArticleError]]:
    """Decode file bytes: UTF-8 (BOM optional) or UTF-16/32 with a BOM.

    Undecodable bytes become U+FFFD and are reported with their line, so the rest of
    the article is still checked.

    :raises ArticleError: for binary content, which is not checked at all.
    """
    problems: list[ArticleError] = []
    bom, encoding = sniff_bom(data)
    if bom:
        try:
            return data[len(bom) :].decode(encoding), problems
        except UnicodeDecodeError as exc:
            raise ArticleError(f"not valid {encoding.upper()} despite its byte-order mark: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise ArticleError("binary file (it contains NUL bytes); not an article")
    nul = data.find(b"\x00")
    if nul >= 0:  # past the first 8 KB: binary data (or UTF-16 without its mark) appended to text
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        problems.append(
            ArticleError("holds NUL bytes: binary data, or UTF-16 text without a byte-order mark", line, column)
        )
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            ArticleError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); undecodable bytes replaced",
                line,
                column,
            )
        )
        return data.decode("utf-8", errors="replace"), problems
