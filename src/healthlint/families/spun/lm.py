"""A small causal language model (SmolLM2-135M, Llama architecture) run in numpy: per-token surprisal.

Only the optional deeper stage (:mod:`.deep`) imports this, and only when it is asked for: it needs the
``deep`` extra (numpy, ``gguf`` to read the weights, ``tokenizers`` for the byte-level BPE) and the GGUF
file that ``healthlint spun fetch-model`` puts in the data cache. No compiler, no native build of
llama.cpp: the forward pass is a few matrix products per layer, on one thread, in float32.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from gguf import GGUFReader
from gguf.quants import dequantize
from tokenizers import Tokenizer, decoders, models, pre_tokenizers

Array = npt.NDArray[np.float32]

#: The likeliest next tokens kept at each position (for the synonym features).
TOP = 10
#: Tokens run through the model at once, and how many of a window's first tokens only give context (they
#: were scored by the window before). The model was trained on 8,192; cost is linear in the tokens scored
#: (the output layer and the feed-forward blocks dominate), so a window's length matters only through the
#: overlap each new window repeats.
WINDOW = 512
OVERLAP = 64
#: Output-layer rows computed at once (the logits of one row are 49,152 floats).
CHUNK = 128


@dataclass(frozen=True)
class Layer:
    attn_norm: Array
    q: Array
    k: Array
    v: Array
    out: Array
    ffn_norm: Array
    gate: Array
    up: Array
    down: Array


@dataclass(frozen=True)
class Scores:
    """A text's scored tokens: byte spans in its UTF-8 (all tokens but the first), surprisal in bits,
    at each position the ``TOP`` likeliest tokens with their surprisal, and what any other token's
    surprisal there needs (the final hidden state and the log normalizer: see :meth:`LanguageModel.bits_of`)."""

    spans: list[tuple[int, int]]
    bits: npt.NDArray[np.float64]
    top: npt.NDArray[np.int64]
    top_bits: npt.NDArray[np.float64]
    hidden: Array = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    log_norm: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    #: The residual stream after the block :meth:`LanguageModel.score` was asked to ``tap``, at the same rows
    #: as ``hidden`` (empty when it was not asked).
    tapped: Array = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    def head(self, count: int) -> Scores:
        """The scores of the first ``count`` tokens (what scoring only them gives: the model is causal)."""
        rows = max(count - 1, 0)
        return Scores(
            self.spans[:rows],
            self.bits[:rows],
            self.top[:rows],
            self.top_bits[:rows],
            self.hidden[:rows],
            self.log_norm[:rows],
            self.tapped[:rows],
        )


def _field(reader: GGUFReader, name: str) -> Any:
    return reader.fields[name].contents()


def _tokenizer(reader: GGUFReader) -> Tokenizer:
    """The model's own byte-level BPE (GGUF vocab and merges); digits one by one, as llama.cpp's ``smollm``."""
    tokens: list[str] = _field(reader, "tokenizer.ggml.tokens")
    merges: list[str] = _field(reader, "tokenizer.ggml.merges")
    vocab = {token: i for i, token in enumerate(tokens)}
    pairs = [(left, right) for left, _, right in (merge.partition(" ") for merge in merges)]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=pairs, fuse_unk=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    return tokenizer


def _rms_norm(x: Array, weight: Array, eps: float) -> Array:
    scale = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    return np.asarray(x * scale * weight, dtype=np.float32)


class LanguageModel:
    """SmolLM2's forward pass over one text at a time (causal attention, grouped KV heads, RoPE, SwiGLU)."""

    def __init__(self, path: Path) -> None:
        reader = GGUFReader(str(path))
        if _field(reader, "general.architecture") != "llama":
            raise ValueError(f"{path}: not a Llama-architecture model")
        self.heads = int(_field(reader, "llama.attention.head_count"))
        self.kv_heads = int(_field(reader, "llama.attention.head_count_kv"))
        self.eps = float(_field(reader, "llama.attention.layer_norm_rms_epsilon"))
        base = float(_field(reader, "llama.rope.freq_base"))
        blocks = int(_field(reader, "llama.block_count"))
        tensors = {t.name: t for t in reader.tensors}

        def weight(name: str) -> Array:
            t = tensors[name]
            return np.ascontiguousarray(dequantize(t.data, t.tensor_type), dtype=np.float32)

        self.embedding = weight("token_embd.weight")
        self.output = weight("output.weight") if "output.weight" in tensors else self.embedding
        self.output_norm = weight("output_norm.weight")
        # Stored (out, in): transposed once so that every product is x @ W.
        self.layers = [
            Layer(
                attn_norm=weight(f"blk.{i}.attn_norm.weight"),
                q=weight(f"blk.{i}.attn_q.weight").T.copy(),
                k=weight(f"blk.{i}.attn_k.weight").T.copy(),
                v=weight(f"blk.{i}.attn_v.weight").T.copy(),
                out=weight(f"blk.{i}.attn_output.weight").T.copy(),
                ffn_norm=weight(f"blk.{i}.ffn_norm.weight"),
                gate=weight(f"blk.{i}.ffn_gate.weight").T.copy(),
                up=weight(f"blk.{i}.ffn_up.weight").T.copy(),
                down=weight(f"blk.{i}.ffn_down.weight").T.copy(),
            )
            for i in range(blocks)
        ]
        self.head_dim = self.embedding.shape[1] // self.heads
        half = self.head_dim // 2
        self.inverse_frequency = base ** (-np.arange(half, dtype=np.float64) * 2.0 / self.head_dim)
        self.tokenizer = _tokenizer(reader)
        self.pieces: list[bytes] = [self._piece(i) for i in range(self.embedding.shape[0])]

    def _piece(self, token: int) -> bytes:
        text = self.tokenizer.id_to_token(token) or ""
        decoded = bytes(_BYTE_OF.get(ch, 0) for ch in text) if all(ch in _BYTE_OF for ch in text) else b""
        return decoded

    @functools.cached_property
    def vocabulary(self) -> dict[str, int]:
        """Token ids of the pieces that are a word of letters, with or without a leading space."""
        vocabulary: dict[str, int] = {}
        for token, piece in enumerate(self.pieces):
            word = piece.decode("utf-8", "replace")
            if word.removeprefix(" ").isalpha() and word.isascii():
                vocabulary.setdefault(word, token)
        return vocabulary

    def tokenize(self, text: str) -> list[int]:
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def _rope(self, x: Array) -> Array:
        """Rotary positions on adjacent pairs of each head (GGUF's Llama layout, rope type "norm")."""
        positions = np.arange(x.shape[0], dtype=np.float64)[:, None] * self.inverse_frequency[None, :]
        cos = np.cos(positions).astype(np.float32)[:, None, :]
        sin = np.sin(positions).astype(np.float32)[:, None, :]
        even, odd = x[..., 0::2], x[..., 1::2]
        rotated = np.empty_like(x)
        rotated[..., 0::2] = even * cos - odd * sin
        rotated[..., 1::2] = even * sin + odd * cos
        return rotated

    def hidden(self, tokens: list[int]) -> Array:
        """The final (normed) hidden state at each position: its product with the output matrix gives the logits."""
        return self.states(tokens)[0]

    def states(self, tokens: list[int], layers: Sequence[int] = ()) -> tuple[Array, list[Array]]:
        """:meth:`hidden`, and the residual stream at each position after each block of ``layers`` (0-based; the
        same pass: asking for them changes nothing of the final state)."""
        return self._pass(tokens, layers, len(self.layers))

    def _pass(self, tokens: list[int], layers: Sequence[int], blocks: int) -> tuple[Array, list[Array]]:
        """Run the first ``blocks`` blocks; the final (normed) state only when that is all of them (else empty)."""
        n, d = len(tokens), self.head_dim
        outside = [at for at in layers if not 0 <= at < len(self.layers)]
        if outside:
            raise ValueError(f"no block {outside[0]}: the model has {len(self.layers)} (0-{len(self.layers) - 1})")
        kept: list[Array] = []
        x = self.embedding[np.asarray(tokens)]
        mask = np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)
        group = self.heads // self.kv_heads
        scale = np.float32(1.0 / math.sqrt(d))
        for at, layer in enumerate(self.layers[:blocks]):
            h = _rms_norm(x, layer.attn_norm, self.eps)
            # Heads first, so that both products are batched matrix products (BLAS), not einsum loops.
            q = self._rope((h @ layer.q).reshape(n, self.heads, d)).transpose(1, 0, 2) * scale
            k = self._rope((h @ layer.k).reshape(n, self.kv_heads, d)).transpose(1, 2, 0)
            v = (h @ layer.v).reshape(n, self.kv_heads, d).transpose(1, 0, 2)
            att = np.matmul(q, np.repeat(k, group, axis=0)) + mask
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            mixed = np.matmul(att, np.repeat(v, group, axis=0)).transpose(1, 0, 2).reshape(n, self.heads * d)
            x = x + mixed @ layer.out
            h = _rms_norm(x, layer.ffn_norm, self.eps)
            gate = h @ layer.gate
            x = x + ((gate / (1.0 + np.exp(-gate))) * (h @ layer.up)) @ layer.down
            if at in layers:
                kept.append(x.copy())
        if blocks < len(self.layers):
            return np.zeros((0, x.shape[1]), dtype=np.float32), kept
        return _rms_norm(x, self.output_norm, self.eps), kept

    def stream(self, tokens: list[int], layers: Sequence[int]) -> list[Array]:
        """The residual stream after each block of ``layers`` at every scored row (rows 0..n-2, as
        :attr:`Scores.tapped`), in the windows of :meth:`score`; the pass stops after the last block asked, so
        it costs about ``(max(layers) + 1) / 30`` of :meth:`score`'s pass and computes no logits."""
        if not layers:
            return []
        n, blocks = len(tokens), max(layers) + 1
        out = [np.zeros((max(n - 1, 0), self.embedding.shape[1]), dtype=np.float32) for _ in layers]
        start = 0
        while start + 1 < n:
            window = tokens[start : start + WINDOW]
            skip = 0 if start == 0 else OVERLAP - 1
            _, kept = self._pass(window, layers, blocks)
            for target, states in zip(out, kept, strict=True):
                target[start + skip : start + len(window) - 1] = states[skip:-1]
            if start + len(window) >= n:
                break
            start += WINDOW - OVERLAP
        return out

    def logits(self, tokens: list[int]) -> Array:
        return np.asarray(self.hidden(tokens) @ self.output.T, dtype=np.float32)

    def score(self, text: str, max_tokens: int | None = None, tap: int | None = None) -> Scores:
        """Every token's surprisal after the ones before it, in windows of :data:`WINDOW` tokens that overlap
        by :data:`OVERLAP` (each token past the first window is predicted from at least that many before it).
        ``tap``: also keep the residual stream after that block (0-based) at each scored row (``Scores.tapped``)."""
        tokens = self.tokenize(text)[:max_tokens]
        n = len(tokens)
        hidden = np.zeros((max(n - 1, 0), self.embedding.shape[1]), dtype=np.float32)
        tapped = np.zeros((max(n - 1, 0) if tap is not None else 0, self.embedding.shape[1]), dtype=np.float32)
        start = 0
        while start + 1 < n:
            window = tokens[start : start + WINDOW]
            # Rows of this window that predict tokens the window before did not (all of them for the first).
            skip = 0 if start == 0 else OVERLAP - 1
            final, kept = self.states(window, () if tap is None else (tap,))
            hidden[start + skip : start + len(window) - 1] = final[skip:-1]
            if kept:
                tapped[start + skip : start + len(window) - 1] = kept[0][skip:-1]
            if start + len(window) >= n:
                break
            start += WINDOW - OVERLAP
        return self._scores(tokens, hidden, tapped)

    def _scores(self, tokens: list[int], hidden: Array, tapped: Array | None = None) -> Scores:
        rows = len(tokens) - 1
        kept = tapped if tapped is not None else np.zeros((0, 0), dtype=np.float32)
        if rows < 1:
            empty = np.zeros(0)
            top = np.zeros((0, TOP), dtype=np.int64)
            return Scores([], empty, top, np.zeros((0, TOP)), hidden[:0], empty, kept[:0])
        bits, log_norm = np.zeros(rows), np.zeros(rows)
        top, top_bits = np.zeros((rows, TOP), dtype=np.int64), np.zeros((rows, TOP))
        following = np.asarray(tokens[1:])
        for at in range(0, rows, CHUNK):
            logits = (hidden[at : at + CHUNK] @ self.output.T).astype(np.float64)
            peak = logits.max(axis=1, keepdims=True)
            norm = np.log(np.exp(logits - peak).sum(axis=1)) + peak[:, 0]
            index = np.arange(len(logits))
            log_norm[at : at + CHUNK] = norm
            bits[at : at + CHUNK] = (norm - logits[index, following[at : at + CHUNK]]) / math.log(2.0)
            best = np.argpartition(-logits, TOP, axis=1)[:, :TOP]
            top[at : at + CHUNK] = best
            top_bits[at : at + CHUNK] = (norm[:, None] - np.take_along_axis(logits, best, axis=1)) / math.log(2.0)
        spans, offset = [], 0
        for token in tokens:
            size = len(self.pieces[token])
            spans.append((offset, offset + size))
            offset += size
        return Scores(spans[1:], bits, top, top_bits, hidden, log_norm, kept)

    def bits_of(self, scores: Scores, row: int, tokens: list[int]) -> npt.NDArray[np.float64]:
        """The surprisal, in bits, that the model gives each of ``tokens`` at scored position ``row``."""
        logits = self.output[np.asarray(tokens)] @ scores.hidden[row]
        return np.asarray((scores.log_norm[row] - logits.astype(np.float64)) / math.log(2.0))

    def word_of(self, token: int) -> str:
        """The lowercase word a token starts with a space for ("" for any other piece)."""
        piece = self.pieces[token].decode("utf-8", "replace")
        return piece[1:].lower() if piece[:1] == " " and piece[1:].isalpha() else ""


def _byte_table() -> dict[str, int]:
    """GPT-2's printable stand-ins for bytes, reversed (the vocabulary spells every byte with one)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars, extra = list(printable), 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


_BYTE_OF = _byte_table()
