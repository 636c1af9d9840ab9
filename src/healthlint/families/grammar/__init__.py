"""Grammar (HL6xx): LanguageTool's grammar, spelling, punctuation and style matches, located in the file."""
