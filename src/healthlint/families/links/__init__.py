"""The links family (HL5xx): spam, stray and injected links, spun spam footers, teaser blocks and spam sentences."""
