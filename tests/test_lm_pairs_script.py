"""scripts/build_lm_pairs.py and scripts/lm_pairs.py: the word-pair table's format and the synonym gain (wave 12's
measurement), on a small table of our own (the real one needs the model: ``healthlint spun fetch-model``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("gguf")
pytest.importorskip("tokenizers")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import build_lm_pairs
import lm_pairs

from healthlint.families.spun.tokens import BlockTokens

WORDS = sorted(["blood", "pressure", "strain", "tension", "stress", "high", "the", "is", "level", "rises"])


def small_table(top: int = 3) -> tuple[np.ndarray, lm_pairs.PairTable]:
    rng = np.random.default_rng(7)
    bits = rng.uniform(8.0, 20.0, (len(WORDS), len(WORDS))).astype(np.float32)
    n = {w: i for i, w in enumerate(WORDS)}
    bits[n["blood"], n["tension"]] = 2.0
    bits[n["blood"], n["strain"]] = 15.0
    bits[n["tension"], n["rises"]] = 3.0
    bits[n["strain"], n["rises"]] = 12.0
    return bits, lm_pairs.PairTable.from_bytes(build_lm_pairs.encode(WORDS, bits, top))


def test_listed_pairs_keep_their_surprisal_and_unlisted_ones_never_fall_below_the_floor():
    bits, table = small_table()
    q = build_lm_pairs.quantised(bits)
    assert table.numbers == {w: i for i, w in enumerate(WORDS)} and table.top == 3
    for a in range(len(WORDS)):
        listed = set(table.listed[a * 3 : a * 3 + 3])
        assert listed == set(np.argsort(q[a], kind="stable")[:3].tolist())
        for b in range(len(WORDS)):
            if b in listed:
                assert table.units_of(a, b) == q[a, b]
            else:
                assert table.units_of(a, b) >= table.floors[a] >= max(q[a, s] for s in listed)
    assert table.bits("blood", "tension") == 2.0 and table.bits("blood", "zzz") is None
    assert "SmolLM2-135M-Instruct" in table.source and "Apache-2.0" in table.source


def reference_cut(bits: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cut done the plain way, on the whole table at once: likeliest first, ties by word number."""
    q = build_lm_pairs.quantised(bits).astype(np.int64)
    order = np.lexsort((np.broadcast_to(np.arange(len(q)), q.shape), q), axis=1)
    kept = np.sort(order[:, :top], axis=1)
    return kept, np.take_along_axis(q, kept, axis=1), q[np.arange(len(q)), order[:, top]]


def test_the_cut_in_row_blocks_is_the_plain_cut_whatever_the_block():
    rng = np.random.default_rng(3)
    # Coarse values: many ties at the quantisation step, so the tie order (word number) is exercised.
    bits = rng.integers(0, 12, (40, 40)).astype(np.float32) * np.float32(build_lm_pairs.STEP * 3)
    expected = reference_cut(bits, 5)
    assert len(set(expected[2].tolist())) > 1
    for block in (1, 7, 40, 512):
        kept, listed, floors = build_lm_pairs.cut(bits, 5, block)
        assert np.array_equal(kept, expected[0]) and np.array_equal(listed, expected[1])
        assert np.array_equal(floors, expected[2])


def test_the_table_bytes_do_not_depend_on_the_block_and_a_damaged_one_is_refused():
    bits, _ = small_table()
    data = build_lm_pairs.encode(WORDS, bits, 3)
    assert data == build_lm_pairs.encode(WORDS, bits, 3, block=1) == build_lm_pairs.encode(WORDS, bits, 3, block=7)
    kept, listed, floors = reference_cut(bits, 3)
    n = len(WORDS)
    body = data[data.index(b"\n", data.index(b"\n", data.index(b"\n") + 1) + 1) + 1 :]
    assert body[:n] == floors.astype(np.uint8).tobytes()
    at = n + 4 * n
    assert body[at : at + 2 * n * 3] == kept.astype("<u2").tobytes()
    assert body[at + 2 * n * 3 : at + 3 * n * 3] == listed.astype(np.uint8).tobytes()
    with pytest.raises(ValueError, match="not a word-pair table"):
        lm_pairs.PairTable.from_bytes(b"HLLMPAIRS 0" + data[len(lm_pairs.MAGIC) :])
    with pytest.raises(ValueError, match="truncated"):
        lm_pairs.PairTable.from_bytes(data[:-10])


def test_a_spun_word_gains_what_its_near_synonym_saves():
    _, table = small_table()
    n = table.numbers
    rivals = {WORDS[s] for s in table.synonyms[table.offsets[n["strain"]] : table.offsets[n["strain"] + 1]]}
    assert "tension" in rivals  # a near-synonym in the lexicon, as common or commoner
    gain = lm_pairs.SynonymGain(table)

    def counts(text: str) -> lm_pairs.GainCounts:
        found = lm_pairs.GainCounts()
        gain.add(BlockTokens(text), found)
        return found

    spun, plain = counts("the blood strain rises"), counts("the blood tension rises")
    # "strain" after "blood" and before "rises": 15 + 12 bits against 2 + 3 for "tension".
    assert spun.words == plain.words == 3  # "blood", the middle word and "rises" ("the" is a function word)
    assert spun.gain >= 22.0
    assert plain.gain < spun.gain - 20.0
    # Not joined (a line break, punctuation) or not lowercase: not judged.
    assert counts("the blood\nStrain rises").words == 2  # "blood" and "rises": not "Strain"
    assert counts("the blood, strain").words == 1


def test_measure_refuses_write_however_spelt_and_forwards_the_rest(monkeypatch):
    import measure_lm_pairs

    parser = measure_lm_pairs.argparse.ArgumentParser(prog="measure_lm_pairs.py")
    for spelt in (["--write"], ["--writ"], ["--wr", "--cache", "x.pickle"]):
        with pytest.raises(SystemExit):
            measure_lm_pairs.forwarded(parser, spelt)
    trained = measure_lm_pairs.forwarded(parser, ["--cache=/x/c.pickle", "--drop", "lm_gain", "--scor", "s.json"])
    assert trained.cache == Path("/x/c.pickle") and trained.drop == "lm_gain" and trained.scores == Path("s.json")
    assert not trained.write
    with pytest.raises(SystemExit):
        measure_lm_pairs.forwarded(parser, ["--bogus"])
    # The training script's output is replaced, so no path through it writes the package's model.
    with pytest.raises(SystemExit, match="never writes"):
        measure_lm_pairs._Refused().write_text("{}")


def test_a_counts_cache_is_current_only_for_what_made_it(monkeypatch, tmp_path):
    import measure_lm_pairs

    train = measure_lm_pairs.train
    table = tmp_path / "t.bin"
    table.write_bytes(build_lm_pairs.encode(WORDS, small_table()[0], 3))
    base = measure_lm_pairs.argparse.Namespace(table=table, exact=None, words_of=None, cap=None, class_tail=None)
    made = measure_lm_pairs.fingerprint(base)
    assert measure_lm_pairs.fingerprint(measure_lm_pairs.argparse.Namespace(**{**vars(base), "cap": 6.0})) != made
    table.write_bytes(build_lm_pairs.encode(WORDS, small_table()[0], 4))
    assert measure_lm_pairs.fingerprint(base) != made
    # The training script's own check (the count names) is kept, and the fingerprint must match too.
    monkeypatch.setattr(train, "_current", lambda data: data.get("counts_ok", False))
    collected = []

    def fake_collect(cache):
        collected.append(cache)
        return {"counts_ok": True}

    monkeypatch.setattr(train, "collect", fake_collect)
    measure_lm_pairs.keep_fingerprint(made)
    assert not train._current({"counts_ok": True})
    assert not train._current({"counts_ok": True, measure_lm_pairs.FINGERPRINT: "other"})
    assert not train._current({"counts_ok": False, measure_lm_pairs.FINGERPRINT: made})
    assert train._current({"counts_ok": True, measure_lm_pairs.FINGERPRINT: made})
    cache = tmp_path / "c.pickle"
    data = train.collect(cache)
    assert data[measure_lm_pairs.FINGERPRINT] == made and collected == [cache]
    assert measure_lm_pairs.pickle.loads(cache.read_bytes()) == data


def test_the_exact_matrix_must_hold_the_tables_words(tmp_path):
    import measure_lm_pairs

    bits, table = small_table()
    matrix = tmp_path / "m.npy"
    np.save(matrix, bits)
    with pytest.raises(SystemExit, match="missing"):
        measure_lm_pairs.matrix_words(matrix, table)
    matrix.with_suffix(".words").write_text(" ".join(reversed(WORDS)), encoding="utf-8")
    with pytest.raises(SystemExit, match="not the words"):
        measure_lm_pairs.matrix_words(matrix, table)
    matrix.with_suffix(".words").write_text(" ".join(WORDS), encoding="utf-8")
    exact = measure_lm_pairs.ExactTable(matrix, table)
    n = table.numbers
    assert exact.units_of(n["blood"], n["tension"]) == 2.0 / table.step


def test_auc_gain_reads_scores_files_and_refuses_other_pages(tmp_path):
    import auc_gain

    urls = [f"https://site{i % 4}.example/p{i}" for i in range(12)]
    spun = [i % 3 == 0 for i in range(12)]

    def write(name, scores, pages=urls, labels=spun):
        path = tmp_path / name
        path.write_text(json.dumps({"urls": pages, "spun": labels, "scores": scores}), encoding="utf-8")
        return path

    before = write("before.json", [0.5 + 0.01 * i for i in range(12)])
    after = write("after.json", [0.9 if s else 0.1 + 0.001 * i for i, s in enumerate(spun)])
    keys, y, b, a = auc_gain.paired(before, after)
    assert keys == sorted(urls) and y.sum() == 4
    assert auc_gain.auc(a, y) == 1.0 and auc_gain.auc(b, y) < 1.0
    # Full precision: scores that differ past the third decimal still rank.
    assert len(set(a[~y].tolist())) == 8
    gains = auc_gain.bootstrap(y, b, a, None, 200)
    assert len(gains) > 150 and (gains >= 0).all()
    pages = tmp_path / "pages.jsonl"
    pages.write_text(
        "".join(json.dumps({"url": u, "text": f"page {i} of its own words"}) + "\n" for i, u in enumerate(urls)),
        encoding="utf-8",
    )
    units = auc_gain.page_groups(keys, pages)
    assert units == [u.split("/")[2] for u in keys]  # one group a site here
    grouped = auc_gain.bootstrap(y, b, a, units, 200)
    assert 0 < len(grouped) <= 200 and (grouped >= 0).all()
    with pytest.raises(SystemExit, match="not in"):
        auc_gain.page_groups([*keys, "https://elsewhere.example/"], pages)
    with pytest.raises(SystemExit, match="different pages"):
        auc_gain.paired(before, write("other.json", [0.5] * 12, pages=[*urls[:-1], "https://x.example/"]))
    with pytest.raises(SystemExit, match="label"):
        auc_gain.paired(before, write("relabel.json", [0.5] * 12, labels=[not s for s in spun]))
    with pytest.raises(SystemExit, match="no page scores"):
        auc_gain.paired(before, write("empty.json", [], pages=[], labels=[]))
    (tmp_path / "verbose.txt").write_text("  SPUN  p=0.912 words= 300 ...\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="not a --scores file"):
        auc_gain.paired(tmp_path / "verbose.txt", after)
