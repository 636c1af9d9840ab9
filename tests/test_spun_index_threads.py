"""The word index read from several threads at once: its rarer parts open on first use (the rare and web word
lists, the words below Zipf 3, the garbled-word fan-out, the shards of the large maps, the whole lists of big
words). Every answer must be the one a single thread gets, and each part is read once per index, as
lexicon/format.py and lexicon/lookups.py promise, whichever thread asks first.

The index is the real one, read through a buffer that counts its reads and pauses in each (as a read from disk
lets other threads run), so that threads meet inside first reads."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from healthlint.families.spun.lexicon import store
from healthlint.families.spun.lexicon.format import IndexFile
from healthlint.families.spun.lexicon.lookups import REST_SPLIT_AFTER, Lexicon

THREADS = 8


class CountingBuffer:
    """The index file's bytes; counts each byte range read, and pauses in every read (releasing the GIL)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reads: Counter[tuple[int, int]] = Counter()
        self._lock = threading.Lock()
        self.pause = 0.0

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, key: slice) -> bytes:
        start, stop, _ = key.indices(len(self.data))
        with self._lock:
            self.reads[(start, stop)] += 1
        if self.pause:
            time.sleep(self.pause)
        return self.data[start:stop]


@pytest.fixture(scope="module")
def index_bytes() -> bytes:
    store.load_or_build()
    path = store.cache_path()
    if not path.exists():
        pytest.skip("the word index is not cached on disk")
    return path.read_bytes()


def questions(lex: Lexicon) -> list[tuple[str, Callable[[], Any]]]:
    """Lookups that open each lazy part: (name, a call), in a fixed order."""
    rest = lex._sorted_words("zipf_rest").words()
    rare = lex._sorted_words("rare").words()
    web = lex._sorted_words("web").words()
    frequent = sorted(lex.frequent_words)
    big = sorted(lex._big_followers)[:6] + sorted(lex._big_leaders)[:6]
    # More distinct rare words than REST_SPLIT_AFTER: the list below Zipf 3 is split during the run.
    below_3 = rest[:: max(1, len(rest) // (REST_SPLIT_AFTER * 3))]
    assert len(below_3) > REST_SPLIT_AFTER
    asked: list[tuple[str, Callable[[], Any]]] = []
    for w in below_3:
        asked.append((f"zipf {w}", lambda w=w: lex.zipf(w)))
    for w in [*rare[:: max(1, len(rare) // 300)], *web[:: max(1, len(web) // 300)], "qwxzzy", "blorptane"]:
        asked.append((f"words {w}", lambda w=w: (lex.is_word(w), lex.is_web_only(w), lex.is_dictionary_word(w))))
    for w in frequent[:: max(1, len(frequent) // 200)]:
        asked.append((f"fanout {w}", lambda w=w: lex.fanout(w)))
        asked.append((f"synonyms {w}", lambda w=w: (lex.synonyms(w), lex.close_synonyms(w), lex.sources_of(w))))
        asked.append((f"demotion {w}", lambda w=w: lex.demotion(w)))
    for w in big:
        asked.append((f"neighbours {w}", lambda w=w: (sorted(lex.followers(w).items()), lex.leader_set(w))))
        asked.append((f"pairs {w}", lambda w=w: (lex.has_pair(w, "pain"), lex.pair_count("back", w))))
    return asked


def test_lazy_parts_read_from_many_threads_answer_as_one_thread_and_are_read_once(index_bytes: bytes) -> None:
    alone = Lexicon(IndexFile(CountingBuffer(index_bytes)))
    expected = [(name, ask()) for name, ask in questions(alone)]

    buffer = CountingBuffer(index_bytes)
    lex = Lexicon(IndexFile(buffer))
    asked = questions(lex)
    opened = set(buffer.reads)  # what opening the index (and listing the questions' words) read
    buffer.pause = 0.0005
    start = threading.Barrier(THREADS)
    answers: list[list[tuple[str, Any]] | None] = [None] * THREADS
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            start.wait()
            order = asked if k % 2 == 0 else asked[::-1]  # half the threads from each end: they meet midway too
            got = [(name, ask()) for name, ask in order]
            answers[k] = got if k % 2 == 0 else got[::-1]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for got in answers:
        assert got == expected
    lazy = {span: n for span, n in buffer.reads.items() if span not in opened}
    assert len(lazy) > 300  # shards, lists and word parts were opened by the threads
    assert {span: n for span, n in lazy.items() if n > 1} == {}
