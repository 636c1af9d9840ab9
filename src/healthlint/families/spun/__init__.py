"""Spun text (HL1xx): garbled words, spinner phrases, thesaurus swaps, non-words and the article verdict."""
