"""The trigram model's store (``families/spun/lmstore.py``): the same log probabilities as pocketsphinx, read lazily.

A small model written here (our own words and numbers, in ARPA form, made binary by pocketsphinx itself) is checked
exhaustively; the wheel's model on a sample, when pocketsphinx is installed.
"""

from __future__ import annotations

import itertools
import marshal
import os
import random
import subprocess
import sys
import textwrap
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from healthlint.families.spun import lmstore, trigram

pocketsphinx = pytest.importorskip("pocketsphinx")

# A trigram model of our own, with what the wheel's has: backoffs (one above zero), a trigram whose last two words
# are no bigram ("sore knee the": pocketsphinx inserts the missing "knee the" itself), bigrams without trigrams.
TINY_ARPA = """\\data\\
ngram 1=8
ngram 2=10
ngram 3=6

\\1-grams:
-1.0000\t</s>
-99.0000\t<s>\t-0.3000
-0.7000\trest\t-0.2500
-0.9000\tthe\t-0.4000
-1.2000\tknee\t-0.1000
-1.5000\tsore\t0.0500
-2.0000\tache\t-0.2000
-2.3000\tgently\t-0.3300

\\2-grams:
-0.3000\t<s> rest\t-0.1500
-0.2000\trest the\t-0.3000
-0.6000\tthe knee\t-0.0500
-0.8000\tthe sore\t-0.2200
-0.4000\tsore knee\t-0.1000
-1.1000\tthe ache
-0.5000\tknee </s>
-0.9000\tsore ache\t0.1000
-0.7000\tknee ache
-1.3000\trest gently\t-0.0700

\\3-grams:
-0.1000\t<s> rest the
-0.2500\trest the knee
-0.4500\trest the sore
-0.3500\tthe sore knee
-0.6000\tthe sore ache
-0.2000\tsore knee the

\\end\\
"""
WORDS = ["</s>", "<s>", "rest", "the", "knee", "sore", "ache", "gently", "Knee", "zzq"]  # the last two: unknown


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any, lmstore.TrigramStore]]:
    """The small model as a pocketsphinx binary file, read by pocketsphinx and by a store built from it."""
    folder = tmp_path_factory.mktemp("tiny")
    arpa = folder / "tiny.arpa"
    arpa.write_text(TINY_ARPA, encoding="utf-8")
    binary = folder / "tiny.lm.bin"
    model = pocketsphinx.NGramModel.readfile(str(arpa))
    model.write(str(binary), pocketsphinx.NGramModel.str_to_type("bin"))
    model = pocketsphinx.NGramModel.readfile(str(binary))
    store = lmstore.TrigramStore(lmstore.build_store(binary, {"test": 1}), {"test": 1})
    yield binary, model, store


def test_every_query_of_a_small_model_matches_pocketsphinx(tiny: tuple[Path, Any, lmstore.TrigramStore]):
    _, model, store = tiny
    asked = 0
    for n in (1, 2, 3):
        for query in itertools.product(WORDS, repeat=n):
            assert store.prob(list(query)) == model.prob(list(query)), query
            asked += 1
    assert asked == 10 + 100 + 1000
    assert store.prob(["zzq"]) == lmstore.LOG_ZERO == model.prob(["zzq"])
    assert store.word_id("Knee") == -1 and store.word_id("knee") >= 0  # words are case-sensitive


def test_best_of_reads_the_scores_the_analysis_read_term_by_term(tiny: tuple[Path, Any, lmstore.TrigramStore]):
    _, model, store = tiny
    words = WORDS[:8]
    ids = {w: store.word_id(w) for w in words}
    rng = random.Random(5)
    for _ in range(3000):
        w, *rivals = rng.sample(words, rng.randrange(2, 6))
        a1, a2, c1, c2 = (rng.choice([*words, "zzq"]) for _ in range(4))
        right = rng.randrange(3)
        one_word_history = rng.random() < 0.2
        history = [a2] if one_word_history else [a2, a1]

        base = best = 0
        for n, x in enumerate([w, *rivals]):  # the analysis's reading before the store: one query per term
            found = model.prob([x, *history])
            if n and found <= best:
                continue
            if right:
                found += model.prob([c1, x, a2])
                if right == 2 and (not n or found > best):
                    found += model.prob([c2, c1, x])
            if not n:
                base = best = found
            elif found > best:
                best = found
        got = store.best_of(
            ids[w],
            tuple(ids[x] for x in rivals),
            -1 if one_word_history else store.word_id(a1),
            store.word_id(a2),
            store.word_id(c1),
            store.word_id(c2),
            right,
        )
        assert got == (base, best), (w, rivals, a1, a2, c1, c2, right, one_word_history)


def test_a_file_that_is_no_trie_model_is_a_store_error(tmp_path: Path):
    bad = tmp_path / "bad.lm.bin"
    bad.write_bytes(b"not a language model\n")
    with pytest.raises(lmstore.StoreError, match="not a pocketsphinx binary trie"):
        lmstore.build_store(bad, {})
    cut = tmp_path / "cut.lm.bin"
    cut.write_bytes(lmstore.TRIE_HEADER + b"\x03" + b"\x01\x00\x00\x00" * 3)
    with pytest.raises(lmstore.StoreError, match=r"truncated|size"):
        lmstore.build_store(cut, {})


def test_interpolation_search_finds_what_pocketsphinx_finds():
    from array import array

    ordered = array("I", [3, 9, 14, 40])
    assert [lmstore._uniform_find(ordered, 0, 4, k, 50) for k in (3, 9, 14, 40, 5, 41)] == [0, 1, 2, 3, -1, -1]
    # a range that is not sorted: the search may miss a key that is there (the model then reads it as absent)
    unsorted = array("I", [0, 70733, 64488])
    assert lmstore._uniform_find(unsorted, 1, 3, 64488, 72547) == 2
    assert lmstore._uniform_find(unsorted, 1, 3, 70733, 72547) == -1


@pytest.fixture
def tiny_model_in_a_fresh_cache(
    tiny: tuple[Path, Any, lmstore.TrigramStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, Path]]:
    """The small model as the process's model, with a data cache of its own (the process's model restored after)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(cache))
    before = trigram.MODEL_OVERRIDE
    trigram.MODEL_OVERRIDE = str(tiny[0])
    trigram.forget()
    try:
        yield tiny[0], cache
    finally:
        trigram.MODEL_OVERRIDE = before
        trigram.forget()


def test_the_store_is_built_once_into_the_data_cache_and_rebuilt_when_damaged(
    tiny_model_in_a_fresh_cache: tuple[Path, Path],
):
    model, cache = tiny_model_in_a_fresh_cache
    store = trigram.language_model()
    assert isinstance(store, lmstore.TrigramStore)
    built = list(cache.glob("trigram-*.bin"))
    assert len(built) == 1 and built[0].name == lmstore.cache_name(lmstore.store_meta(model))
    want = store.prob(["knee", "the", "rest"])
    # a damaged file (cut short, another file's bytes, a part every query reads zeroed) is built again, not read
    whole = built[0].read_bytes()
    start = len(lmstore.MAGIC) + 8
    size = int.from_bytes(whole[len(lmstore.MAGIC) : start], "little")
    offset, length, _ = marshal.loads(whole[start : start + size])["parts"]["vocab_slots"]
    zeroed = whole[: start + size + offset] + bytes(length) + whole[start + size + offset + length :]
    for damage in (whole[:-100], b"garbage" * 10, zeroed):
        built[0].write_bytes(damage)
        trigram.forget()
        again = trigram.language_model()
        assert isinstance(again, lmstore.TrigramStore) and again.prob(["knee", "the", "rest"]) == want
        assert built[0].read_bytes() != damage
    # a store of another model (or another build version) under the same name is not read either
    other = lmstore.build_store(model, {**lmstore.store_meta(model), "store": -1})
    built[0].write_bytes(other)
    with pytest.raises(lmstore.StoreError, match="another model"):
        lmstore.TrigramStore.open(built[0], lmstore.store_meta(model))
    trigram.forget()
    assert isinstance(trigram.language_model(), lmstore.TrigramStore)
    assert built[0].read_bytes() != other


def test_two_model_files_of_one_size_get_stores_of_their_own(
    tiny: tuple[Path, Any, lmstore.TrigramStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    model = tiny[0]
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit in the middle of the trie: the same size, another model
    other = tmp_path / "other.lm.bin"
    other.write_bytes(bytes(data))
    assert lmstore.cache_name(lmstore.store_meta(model)) != lmstore.cache_name(lmstore.store_meta(other))
    monkeypatch.setattr(lmstore, "FINGERPRINT_WHOLE", 1024)  # a large model's fingerprint: its start and windows
    monkeypatch.setattr(lmstore, "FINGERPRINT_WINDOW", 256)
    start = bytearray(model.read_bytes())
    start[100] ^= 0x01
    (tmp_path / "start.lm.bin").write_bytes(bytes(start))
    assert lmstore.fingerprint(tmp_path / "start.lm.bin") != lmstore.fingerprint(model)
    monkeypatch.undo()
    copy = tmp_path / "copy.lm.bin"  # the same wheel in another virtual environment shares the store
    copy.write_bytes(model.read_bytes())
    assert lmstore.cache_name(lmstore.store_meta(model)) == lmstore.cache_name(lmstore.store_meta(copy))


@pytest.fixture
def lexicon() -> Any:
    """The process's word index, opened before a test points the data cache elsewhere (not built again there)."""
    from healthlint.families.spun import shared

    return shared.analyzer().lex


def test_a_store_damaged_inside_its_arrays_is_an_error_naming_it(
    lexicon: Any, tiny_model_in_a_fresh_cache: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
):
    from healthlint.families.spun.tokens import BlockTokens

    _, cache = tiny_model_in_a_fresh_cache
    assert isinstance(trigram.language_model(), lmstore.TrigramStore)
    (built,) = cache.glob("trigram-*.bin")
    data = bytearray(built.read_bytes())
    start = len(lmstore.MAGIC) + 8
    size = int.from_bytes(data[len(lmstore.MAGIC) : start], "little")
    offset, length, _ = marshal.loads(bytes(data[start : start + size]))["parts"]["bi_child"]
    # every bigram's trigram range past the end of the trigrams but the last (a large array, not checksummed at
    # each open; its last entry, the trigram count, is checked)
    ranges = array("I", range(0xF0000000, 0xF0000000 + length // 4 - 1))
    data[start + size + offset : start + size + offset + length - 4] = ranges.tobytes()
    built.write_bytes(bytes(data))
    trigram.forget()
    store = trigram.language_model()
    assert isinstance(store, lmstore.TrigramStore) and store.path == built  # its header and small parts are whole
    assert not store.verify()
    # what the page model asks (a word with a rival the small model knows) and what HL108 asks (a pair in context)
    gain = trigram.SynonymGain(lexicon)
    monkeypatch.setattr(gain, "rivals", lambda word: ("ache",) if word == "sore" else ())
    with pytest.raises(trigram.TrigramModelError, match="damaged") as raised:
        gain.add(BlockTokens("rest the sore knee gently"), [])
    assert str(built) in str(raised.value)
    with pytest.raises(trigram.TrigramModelError, match="damaged") as raised:
        trigram.likeliest_pair(["rest the", "the sore"], ("<s>", "<s>", "knee", "gently"))
    assert str(built) in str(raised.value)
    # its checksum no longer matches: it was deleted, and the next run builds it again
    assert "deleted" in str(raised.value) and not built.exists()
    trigram.forget()
    assert isinstance(trigram.language_model(), lmstore.TrigramStore) and built.exists()


def _with_header(store: bytes, change: Any) -> bytes:
    """A store's bytes with its header changed by ``change`` (the body as it was)."""
    start = len(lmstore.MAGIC) + 8
    size = int.from_bytes(store[len(lmstore.MAGIC) : start], "little")
    header = marshal.loads(store[start : start + size])
    change(header)
    blob = marshal.dumps(header)
    return lmstore.MAGIC + len(blob).to_bytes(8, "little") + blob + store[start + size :]


@pytest.mark.parametrize(
    "change",
    [
        lambda h: h["parts"].__setitem__("bi_ctx", (h["parts"]["bi_ctx"][0], -2, "I")),  # a length no cast takes
        lambda h: h["parts"].__setitem__("tri_p", h["parts"]["tri_p"][:2]),  # an entry of the wrong shape
        lambda h: h.__setitem__("size", "many"),
        lambda h: h.__setitem__("meta", None),
    ],
)
def test_a_damaged_header_is_a_store_error_and_the_file_can_be_replaced(
    tiny: tuple[Path, Any, lmstore.TrigramStore], tmp_path: Path, change: Any
):
    good = lmstore.build_store(tiny[0], {"test": 1})
    path = tmp_path / "trigram-test.bin"
    path.write_bytes(_with_header(good, change))
    with pytest.raises(lmstore.StoreError):
        lmstore.TrigramStore.open(path)
    path.write_bytes(good)  # nothing is left holding the rejected file
    assert lmstore.TrigramStore.open(path).prob(["knee", "the", "rest"]) == tiny[2].prob(["knee", "the", "rest"])


def test_processes_started_together_build_the_store_once(tiny_model_in_a_fresh_cache: tuple[Path, Path]):
    model, cache = tiny_model_in_a_fresh_cache
    script = textwrap.dedent(
        f"""
        from healthlint.families.spun import lmstore
        lmstore.build_store = lambda *a, _b=lmstore.build_store: (print("built", flush=True), _b(*a))[1]
        print(lmstore.load_or_build({str(model)!r}).prob(["knee", "the", "rest"]))
        """
    )
    env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(cache)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env) for _ in range(3)
    ]
    outs = [p.communicate(timeout=60)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert sum(out.count("built") for out in outs) == 1
    assert len({out[-1] for out in outs}) == 1
    assert len(list(cache.glob("trigram-*.bin"))) == 1


needs_wheel_model = pytest.mark.skipif(trigram.unavailable() is not None, reason="needs pocketsphinx's trigram model")


@needs_wheel_model
def test_the_wheel_models_store_answers_as_pocketsphinx_does_on_a_sample():
    path = trigram.model_path()
    assert path is not None
    model = pocketsphinx.NGramModel.readfile(path)
    store = trigram.language_model()
    assert isinstance(store, lmstore.TrigramStore)
    rng = random.Random(11)
    common = ["the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "with", "as", "on", "be", "at", "by"]
    common += ["pain", "knee", "blood", "pressure", "doctor", "walk", "rest", "leg", "first", "two", "days", "lower"]
    common += ["<s>", "Pain", "qzxv"]
    for _ in range(5000):
        query = [rng.choice(common) for _ in range(rng.choice((1, 2, 3)))]
        assert store.prob(query) == model.prob(query), query
    # the two ranges of the model that are not sorted (see lmstore._sorted_ranges)
    for query in (["bullhorns", "and", "whips"], ["bullhorns", "and", "teased"], ["jerri", "and", "<s>"]):
        assert store.prob(query) == model.prob(query), query


@needs_wheel_model
def test_a_fork_after_the_store_is_open_reads_it_in_the_child_and_no_thread_is_started():
    # check --jobs forks its workers after the parent has opened the model: the child reads the same memory map
    script = textwrap.dedent(
        """
        import os, threading
        from healthlint.article import parse_article
        from healthlint.families.spun import trigram
        from healthlint.families.spun.analysis import Analyzer
        from healthlint.families.spun.options import SpunOptions
        from healthlint.families.spun.settings import compile_settings

        analyzer = Analyzer()
        text = "Rest the sore knee and raise it on a cushion for an hour or two each day."
        first = analyzer.analyze(parse_article("a.txt", text), compile_settings(SpunOptions()))
        print(threading.active_count())
        pid = os.fork()
        if pid == 0:
            a = Analyzer().analyze(parse_article("a.txt", text), compile_settings(SpunOptions()))
            os._exit(0 if (a.trigram_words, a.trigram_q90) == (first.trigram_words, first.trigram_q90) > (0, 0) else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split() == ["1", "0"]
