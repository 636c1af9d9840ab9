"""The core family: the article parser, the output formats, and the HL0xx codes of tool faults."""
