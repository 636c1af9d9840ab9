"""The shared text layer: sentences, tokens and domains, computed one way for every rule family."""
