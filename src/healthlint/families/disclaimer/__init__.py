"""Safety disclaimers (HL2xx): does the article tell readers when to see a health professional?"""
