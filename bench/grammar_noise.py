"""Count LanguageTool's findings per rule per 100k words on clean health prose (issue 18).

Clean, edited pages (the NIH consumer pages, MedQuAD) should give almost no grammar findings:
a LanguageTool rule that fires often there is noise for healthlint's users, and a candidate
for ``disabled-rules`` by default. Needs a running LanguageTool:

    healthlint languagetool serve --port 8081 &
    .venv/bin/python bench/grammar_noise.py --url http://127.0.0.1:8081 \\
        ../shared/corpus/health/medquad_nih_consumer100.jsonl

Each JSONL record's ``text`` becomes one Markdown article; ``healthlint check --select HL6``
runs over them with spelling on and the default settings otherwise (``--config`` for others),
and the table lists every (code, LanguageTool rule) with its count and rate.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
RULE_ID_RE = re.compile(r"\(([A-Z0-9_]+)\)$")


def write_articles(sources: list[Path], folder: Path) -> int:
    """One ``.md`` file per record; the number of words written."""
    words = 0
    for source in sources:
        for i, line in enumerate(source.read_text(encoding="utf-8").splitlines()):
            text = json.loads(line)["text"].strip()
            (folder / f"{source.stem}_{i:03d}.md").write_text(text + "\n", encoding="utf-8")
            words += len(WORD_RE.findall(text))
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sources", nargs="+", type=Path, help="JSONL files with a 'text' field per line")
    parser.add_argument("--url", required=True, help="a running LanguageTool")
    parser.add_argument("--config", type=Path, help="a healthlint config (e.g. to try other disabled-rules)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--examples", type=int, default=2, help="matched words shown per rule")
    args = parser.parse_args()
    healthlint = Path(sys.executable).with_name("healthlint")
    with tempfile.TemporaryDirectory(prefix="healthlint-grammar-noise-") as tmp:
        folder = Path(tmp)
        words = write_articles(args.sources, folder)
        config = ["--config", str(args.config.resolve())] if args.config else []
        command = [str(healthlint), *config, "check", ".", "--select", "HL6", "--format", "json", "--no-cache"]
        env = {**os.environ, "HEALTHLINT_LANGUAGETOOL_URL": args.url, "HEALTHLINT_CACHE_DIR": str(folder / ".data")}
        started = time.perf_counter()
        done = subprocess.run([*command, "-j", str(args.jobs)], cwd=folder, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr)
        report = json.loads(done.stdout)
        counts: Counter[tuple[str, str]] = Counter()
        examples: dict[tuple[str, str], list[str]] = {}
        for article in report["articles"]:
            lines = (folder / Path(article["path"]).name).read_text(encoding="utf-8").splitlines()
            for f in article["findings"]:
                found = RULE_ID_RE.search(f["message"])
                key = (f["code"], found.group(1) if found else "?")
                counts[key] += 1
                if f["line"] == f["end_line"] and len(examples.setdefault(key, [])) < args.examples:
                    examples[key].append(lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1])
    notices = "; ".join(n["message"] for n in report.get("notices", []))
    print(f"{len(report['articles'])} articles, {words} words, {seconds:.0f} s ({words / seconds:.0f} words/s)")
    if notices:
        print(f"notices: {notices}")
    print(f"{'code':6} {'LanguageTool rule':40} {'count':>5} {'per 100k words':>14}  examples")
    for (code, rule), n in sorted(counts.items(), key=lambda item: (item[0][0], -item[1])):
        shown = ", ".join(repr(e) for e in examples.get((code, rule), []))
        print(f"{code:6} {rule:40} {n:5} {n * 100_000 / words:14.1f}  {shown}")
    for code in sorted({c for c, _ in counts}):
        total = sum(n for (c, _), n in counts.items() if c == code)
        print(f"{code}: {total} findings, {total * 10_000 / words:.1f} per 10k words")


if __name__ == "__main__":
    main()
