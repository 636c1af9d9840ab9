"""Spun text (HL1xx): garbled words, spinner phrases, thesaurus swaps, non-words, the verdict; HL701 missing spaces."""
