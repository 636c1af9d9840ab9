"""Authorship and currency (HL311-HL315): who wrote and reviewed an article, and when."""
