"""``python -m healthlint``."""

from healthlint.program import main

if __name__ == "__main__":
    main()
