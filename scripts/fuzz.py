"""Mutation fuzzer: heavily mutated articles through every rule family, looking for crashes and slow texts.

Not part of the test run. Seeds are ``tests/adversarial/seeds/`` (short articles written for
this) and the adversarial shapes at a few KB; each text is mutated until it is about
``--size`` bytes and checked in-process with one family selected at a time. It reports every
exception, every rule crash (HL002) or timeout (HL005), every article that could not be parsed
(HL001 "cannot be parsed") and every text that takes more than ``--slow`` seconds of CPU, saving
each such text under ``--out`` to reproduce it with ``healthlint check``. The families take
turns text by text, and the counts so far are printed every ``--progress`` texts.

    nice -n 10 .venv/bin/python scripts/fuzz.py --texts 10000 --size 30000 --seed 1
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.adversarial.shapes import SHAPES  # noqa: E402

from healthlint.config import Config  # noqa: E402
from healthlint.engine.driver import Driver  # noqa: E402
from healthlint.plugins import get_plugin_manager  # noqa: E402

SEEDS = ROOT / "tests" / "adversarial" / "seeds"
#: The codes of each family (and the host's own codes with each).
FAMILIES = {
    "core": ("HL0",),
    "claims": ("HL3",),
    "disclaimer": ("HL2",),
    "readability": ("HL4",),
    "links": ("HL5",),
    "spun": ("HL1", "HL701"),
    "chrome": ("HL702", "HL703"),
}
#: Fragments that mean something to one parser or another.
TOKENS = [
    "[", "]", "(", ")", "<", ">", "<!--", "-->", "*", "_", "`", "```", "~~~", "|", "---", "...", ":", "&", "*a",
    "&a ", "!!", "#", "\n", "\n\n", "    ", "\t", "\\", "http://", "https://", "www.", "@", "[@", "^[", "<div>",
    "</div>", "<a href=\"", "javascript:", ".", ". ", "?", "!", "\u200b", "\u202e", "\ufeff", "\x00", "\r", "é",
    "Dr.", "e.g.", "Journal of", "study", "cure", "1e400", "9" * 50, "- ", "1. ", "> ", "|-|", "[x]: /u",
]  # fmt: skip


def seeds() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()) if p.is_file()]
    return texts + [shape(3_000) for shape in SHAPES.values()]


def mutate(text: str, rng: random.Random, size: int, pool: list[str]) -> str:
    """Apply random edits (insert, delete, repeat, splice) until the text is about ``size`` characters."""
    chars = text
    for _ in range(rng.randint(5, 60)):
        where = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.35:
            piece = rng.choice(TOKENS) * rng.choice((1, 1, 2, 8, 64, 512))
            chars = chars[:where] + piece + chars[where:]
        elif action < 0.5 and len(chars) > 10:
            end = min(len(chars), where + rng.randint(1, 200))
            chars = chars[:where] + chars[end:]
        elif action < 0.75:
            end = min(len(chars), where + rng.randint(1, 80))
            chars = chars[:where] + chars[where:end] * rng.randint(2, 200) + chars[end:]
        else:
            other = rng.choice(pool)
            start = rng.randrange(len(other) + 1)
            chars = chars[:where] + other[start : start + rng.randint(1, 2_000)] + chars[where:]
        if len(chars) > size * 2:
            chars = chars[: size * 2]
    while len(chars) < size:
        chars += "\n\n" + rng.choice(pool)
    return chars[:size]


def check(driver: Driver, path: str, text: str) -> str | None:
    """What went wrong checking ``text`` (None when nothing did)."""
    try:
        result = driver.check_text(path, text)
    except Exception:
        return traceback.format_exc(limit=-3)
    return next(
        (
            f"{f.code} {f.message}"
            for f in result.findings
            if f.code in ("HL002", "HL005") or f.message.startswith("cannot be parsed")
        ),
        None,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1_000, help="mutated texts per family")
    parser.add_argument("--size", type=int, default=30_000, help="characters per text")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=5.0, help="CPU seconds that count as too slow")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families")
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"), help="where failing texts are saved")
    parser.add_argument("--progress", type=int, default=500, help="report the counts every so many texts")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = seeds()
    problems = 0
    families = args.family or list(FAMILIES)
    slowest = dict.fromkeys(families, 0.0)
    # The families take turns, text by text: stopped at any point, the run has covered each alike.
    with contextlib.ExitStack() as stack:
        drivers = {}
        for family in families:
            # The time limits are wall-clock: on a machine busy with other jobs a niced fuzzer waits
            # for its turns, and a tight limit reports texts that cost well under --slow of CPU.
            config = dataclasses.replace(
                Config(), select=[*FAMILIES[family], "HL0"], rule_timeout=args.slow * 24, article_timeout=args.slow * 60
            )
            pm = get_plugin_manager(config, autoload=False, local=False)
            drivers[family] = stack.enter_context(Driver(pm.config, pm))
        for number in range(args.texts):
            for family, driver in drivers.items():
                text = mutate(rng.choice(pool), rng, args.size, pool)
                path = "fuzz.md" if rng.random() < 0.8 else "fuzz.txt"
                # CPU time: the work a text costs, which other jobs on a busy machine do not stretch.
                started = time.process_time()
                failure = check(driver, path, text)
                elapsed = time.process_time() - started
                slowest[family] = max(slowest[family], elapsed)
                if failure is None and elapsed > args.slow:
                    failure = f"took {elapsed:.1f} s of CPU"
                if failure is not None:
                    problems += 1
                    args.out.mkdir(parents=True, exist_ok=True)
                    saved = args.out / f"{family}-{args.seed}-{number}{Path(path).suffix}"
                    saved.write_text(text, encoding="utf-8", errors="surrogateescape")
                    print(f"{family} #{number}: {failure.strip().splitlines()[-1][:300]} -> {saved}", flush=True)
            if (number + 1) % args.progress == 0 or number + 1 == args.texts:
                slow = ", ".join(f"{family} {seconds:.2f} s" for family, seconds in slowest.items())
                print(
                    f"{number + 1} texts per family of {args.size:,} characters, {problems} problems; slowest: {slow}",
                    flush=True,
                )
    print(f"{problems} problem{'s' if problems != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
