"""The word index behind the HL1 rules: built from installed word data once per machine, read on demand."""
