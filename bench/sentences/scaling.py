"""Check that the text layer stays linear on hostile input: time each input at growing sizes.

Usage (from the repository root):

    .venv/bin/python bench/sentences/scaling.py            # 125 kB to 1 MB
    .venv/bin/python bench/sentences/scaling.py --old      # also the splitters the families had

For each input the time at 1 MB is divided by the time at 125 kB: linear work gives about 8,
quadratic work about 64. A ratio above 20 is flagged.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from splitters import splitters

from healthlint.article import htmlscan, parse_article

SIZES = (125_000, 250_000, 500_000, 1_000_000)
PROSE: dict[str, Callable[[int], str]] = {
    "run of stops": lambda n: "A" + "." * n + "x",
    "run of ?!": lambda n: "a" + "?!" * (n // 2) + "b",
    "glued stops": lambda n: "ab.Cde" * (n // 6),
    "web addresses": lambda n: "www.Abc" * (n // 7),
    "abbreviations": lambda n: "Dr. " * (n // 4),
    "initials": lambda n: "J. " * (n // 3),
    "stop, space": lambda n: "A" + ". " * (n // 2),
}
HTML: dict[str, Callable[[int], str]] = {
    "unclosed comments": lambda n: "<div>" + "<!-- c " * (n // 7),
    "unclosed tags": lambda n: "<div>" + "<a " * (n // 3),
    "unclosed scripts": lambda n: "<div>" + "<script>" * (n // 8),
}


def seconds(function: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def scan_html(source: str) -> None:
    list(htmlscan.comments(source))
    list(htmlscan.markup(source))


def parse_markdown(text: str) -> None:
    parse_article("a.md", text)


def row(label: str, times: list[float]) -> None:
    ratio = times[-1] / max(times[0], 1e-6)
    flag = "  QUADRATIC?" if ratio > 20 else ""
    print(f"| {label} | " + " | ".join(f"{t:.3f}" for t in times) + f" | {ratio:.1f}{flag} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", action="store_true", help="also time the old splitters (slow: some are quadratic)")
    parser.add_argument("--limit", type=float, default=60.0, help="skip larger sizes once one takes this long")
    args = parser.parse_args()
    names = list(splitters()) if args.old else ["healthlint"]
    names = [n for n in names if n != "pysbd"]
    print("| input | " + " | ".join(f"{n // 1000} kB s" for n in SIZES) + " | 1 MB / 125 kB |")
    print("|---|" + "---|" * (len(SIZES) + 1))
    for name in names:
        split = splitters()[name]
        for label, make in PROSE.items():
            times: list[float] = []
            for n in SIZES:
                if times and times[-1] > args.limit:
                    times.append(float("nan"))
                    continue
                times.append(seconds(split, make(n)))
            row(f"{name}: {label}", times)
    for label, make in HTML.items():
        row(f"html scan: {label}", [seconds(scan_html, make(n)) for n in SIZES])
    times = [seconds(parse_markdown, HTML["unclosed comments"](n)) for n in SIZES]
    row("parse_article: unclosed comments", times)


if __name__ == "__main__":
    main()
