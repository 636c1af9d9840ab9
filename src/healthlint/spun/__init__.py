"""Spun-text detection (HL1xx): the engine behind :mod:`healthlint.builtin.spun`.

Nothing heavy is imported here. The word data (Moby thesaurus, wordfreq, wordsegment,
pyspellchecker) is read only when a lexicon is first needed, compiled into one compact
index and cached on disk (see :mod:`healthlint.spun.lexicon`).
"""
