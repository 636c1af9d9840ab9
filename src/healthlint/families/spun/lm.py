"""A small causal language model (SmolLM2-135M, Llama architecture) run in numpy: per-token surprisal.

Only the optional deeper stage (:mod:`.deep`) imports this, and only when it is asked for: it needs the
``deep`` extra (numpy, ``gguf`` to read the weights, ``tokenizers`` for the byte-level BPE) and the GGUF
file that ``healthlint spun fetch-model`` puts in the data cache. No compiler, no native build of
llama.cpp: the forward pass is a few matrix products per layer, on one thread, in float32.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
    and at each position the ``TOP`` likeliest tokens with their surprisal."""

    spans: list[tuple[int, int]]
    bits: npt.NDArray[np.float64]
    top: npt.NDArray[np.int64]
    top_bits: npt.NDArray[np.float64]


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

    def logits(self, tokens: list[int]) -> Array:
        n, d = len(tokens), self.head_dim
        x = self.embedding[np.asarray(tokens)]
        mask = np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)
        group = self.heads // self.kv_heads
        for layer in self.layers:
            h = _rms_norm(x, layer.attn_norm, self.eps)
            q = self._rope((h @ layer.q).reshape(n, self.heads, d))
            k = self._rope((h @ layer.k).reshape(n, self.kv_heads, d))
            v = (h @ layer.v).reshape(n, self.kv_heads, d)
            k = np.repeat(k, group, axis=1)
            v = np.repeat(v, group, axis=1)
            att = np.einsum("qhd,khd->hqk", q, k) / np.float32(math.sqrt(d)) + mask
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            mixed = np.einsum("hqk,khd->qhd", att, v).reshape(n, self.heads * d)
            x = x + mixed @ layer.out
            h = _rms_norm(x, layer.ffn_norm, self.eps)
            gate = h @ layer.gate
            x = x + ((gate / (1.0 + np.exp(-gate))) * (h @ layer.up)) @ layer.down
        return np.asarray(_rms_norm(x, self.output_norm, self.eps) @ self.output.T, dtype=np.float32)

    def score(self, text: str, max_tokens: int) -> Scores:
        tokens = self.tokenize(text)[:max_tokens]
        if len(tokens) < 2:
            empty = np.zeros(0)
            return Scores([], empty, np.zeros((0, TOP), dtype=np.int64), np.zeros((0, TOP)))
        logits = self.logits(tokens)[:-1].astype(np.float64)
        peak = logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits - peak).sum(axis=1)) + peak[:, 0]
        rows = np.arange(len(tokens) - 1)
        bits = (log_norm - logits[rows, tokens[1:]]) / math.log(2.0)
        top = np.argpartition(-logits, TOP, axis=1)[:, :TOP]
        top_bits = (log_norm[:, None] - np.take_along_axis(logits, top, axis=1)) / math.log(2.0)
        spans, offset = [], 0
        for token in tokens:
            size = len(self.pieces[token])
            spans.append((offset, offset + size))
            offset += size
        return Scores(spans[1:], bits, top.astype(np.int64), top_bits)

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
