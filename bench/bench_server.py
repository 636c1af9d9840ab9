"""``healthlint server``: how fast a warm re-check of a 1,000-word article answers (issue 19: at most 50 ms).

Usage (from the repository root, with the ``server`` extra installed, as ``.[dev]`` does):

    nice -n 10 .venv/bin/python bench/bench_server.py            # 30 edits each way
    nice -n 10 .venv/bin/python bench/bench_server.py --edits 10

The article is made of the paragraphs of this repository's ``articles/`` (our own example
texts), repeated until it is 1,000 words, under a front matter. Each edit changes one word,
as typing does, and the article is checked again. Two figures:

- engine: in the process, :meth:`Session.check` (parse and every rule but grammar) plus the
  conversion of every finding to an LSP range, the work one keystroke costs the server;
- engine CPU time: the same, counted in CPU time, which a machine shared with other work does
  not inflate (wall times on a loaded machine are several times the CPU time);
- stdio: from the moment a ``textDocument/didChange`` is written to the server's stdin to the
  moment its ``publishDiagnostics`` is read back (debounce set to 0), JSON-RPC included: what
  an editor waits for after the debounce.

The first check (plugins and word data loading) is reported apart as the cold start.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.server.client import LspClient  # noqa: E402

from healthlint.server.positions import LineIndex  # noqa: E402
from healthlint.server.session import Session  # noqa: E402

WORDS = 1000
FRONT_MATTER = "---\ntitle: Back pain, from many angles\nauthor: Bench Mark\nlast_reviewed: 2026-01-01\n---\n\n"


def article(words: int = WORDS) -> str:
    """About ``words`` words of prose from ``articles/``, in paragraphs, under a front matter."""
    paragraphs: list[str] = []
    for path in sorted((REPO / "articles").iterdir()):
        body = path.read_text(encoding="utf-8")
        if body.startswith("---"):
            body = body.split("---", 2)[2]
        blocks = (p.strip() for p in re.split(r"\n\s*\n", body))
        paragraphs += [p for p in blocks if p and not p.startswith("#")]
    out: list[str] = []
    count = 0
    while count < words:
        paragraph = paragraphs[len(out) % len(paragraphs)]
        kept = paragraph.split()[: words - count]
        out.append(" ".join(kept))
        count += len(kept)
    return FRONT_MATTER + "# Back pain\n\n" + "\n\n".join(out) + "\n"


def edited(text: str, i: int) -> str:
    """The text with one word changed (a different one each time), as a keystroke leaves it."""
    return text.replace(" pain ", f" pain{i % 7 or ''} ", 1) if i % 2 else text.replace(" the ", " a ", 1 + i % 5)


def milliseconds(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    median = statistics.median(ordered)
    return f"median {median * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, best {ordered[0] * 1000:.1f} ms"


def bench_engine(text: str, edits: int) -> tuple[float, list[float], list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "healthlint.toml").write_text("", encoding="utf-8")
        start = time.perf_counter()
        session = Session(root)
        session.check("file:///bench.md", str(root / "bench.md"), text, saved=False)
        cold = time.perf_counter() - start
        times, cpu = [], []
        try:
            for i in range(edits):
                changed = edited(text, i)
                start, start_cpu = time.perf_counter(), time.process_time()
                doc = session.check("file:///bench.md", str(root / "bench.md"), changed, saved=False)
                index = LineIndex(doc.text)
                for f in doc.all_findings:
                    index.position(index.offset_of_finding(f.line, f.column))
                    index.position(index.offset_of_finding(f.end_line, f.end_column))
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
        finally:
            session.close()
        return cold, times, cpu


def bench_stdio(text: str, edits: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "healthlint.toml").write_text("", encoding="utf-8")
        client = LspClient(root, env={"HEALTHLINT_LANGUAGETOOL_URL": ""})
        try:
            start = time.perf_counter()
            client.initialize(root, debounceMs=0)
            uri = client.open(root / "bench.md", text)
            client.diagnostics(uri)
            cold = time.perf_counter() - start
            times = []
            for i in range(edits):
                version = i + 2
                change = {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": edited(text, i)}],
                }
                start = time.perf_counter()
                client.notify("textDocument/didChange", change)
                client.diagnostics(uri, version=version)
                times.append(time.perf_counter() - start)
            client.shutdown()
        finally:
            client.close()
        return cold, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=30, help="re-checks measured each way")
    args = parser.parse_args()
    text = article()
    print(f"article: {len(text.split()) - 10} words of prose, {len(text)} characters")
    cold, times, cpu = bench_engine(text, args.edits)
    print(f"engine, in process: cold start {cold:.2f} s; warm re-check {milliseconds(times)}")
    print(f"engine, CPU time of a warm re-check (what a loaded machine does not inflate): {milliseconds(cpu)}")
    cold, stdio = bench_stdio(text, args.edits)
    print(f"stdio, didChange -> publishDiagnostics: first answer {cold:.2f} s; warm {milliseconds(stdio)}")
    for label, figures in (("stdio wall time", stdio), ("engine CPU time", cpu)):
        verdict = "within" if statistics.median(figures) <= 0.050 else "OVER"
        print(f"target, a warm re-check of 1,000 words in at most 50 ms: {verdict} by the median {label}")


if __name__ == "__main__":
    main()
