"""Study claims and overclaiming (HL301-HL305): research claims need a source, hype words need calming."""
