"""Readability (HL4xx): reading grade, hard paragraphs, long sentences, words with plain alternatives."""
