"""The trigram model's synonym gain (``families/spun/trigram.py``), a signal of the spun page model."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from healthlint.article import parse_article
from healthlint.families.spun import shared, trigram
from healthlint.families.spun.model import SIGNALS, page_counts, page_signals, spin_model
from healthlint.families.spun.options import SpunOptions
from healthlint.families.spun.settings import compile_settings
from healthlint.families.spun.tokens import BlockTokens

# Our own paragraph, and a copy spun by hand in the word-for-word dialect (a near-synonym for a plain word, one
# for one: "ache" for pain, "limb" for leg, "physician" for doctor).
PLAIN = """Most knee pain gets better on its own within a few weeks. Rest the leg for the first two days, but
do not stop moving it altogether: short, gentle walks keep the joint from getting stiff. Hold an ice
pack wrapped in a towel against the knee for up to twenty minutes at a time to bring the swelling
down. When you sit, raise the leg on a cushion so that it is higher than your hip. Wear shoes with a
soft sole and avoid kneeling on hard floors. If the pain is very bad, if the knee gives way or
locks, or if you cannot put weight on it, ask your doctor to have a look at it.
"""
SPUN = """Most knee ache gets superior on its own inside a few weeks. Rest the limb for the initial two days, but
do not cease moving it altogether: short, mild walks retain the joint from getting rigid. Hold an ice
pack wrapped in a towel against the knee for up to twenty minutes at a period to bring the puffiness
down. When you sit, elevate the limb on a cushion so that it is greater than your hip. Wear footwear with a
gentle sole and stay clear of kneeling on difficult floors. If the ache is very poor, if the knee gives way or
locks, or if you cannot place weight on it, request your physician to have a glance at it.
"""

needs_model = pytest.mark.skipif(trigram.unavailable() is not None, reason="needs pocketsphinx's trigram model")


def analyse(text: str):  # type: ignore[no-untyped-def]
    return shared.analyzer().analyze(parse_article("a.txt", text), compile_settings(SpunOptions()))


def gains_of(text: str, gain: trigram.SynonymGain | None = None) -> list[float]:
    gain = gain or trigram.SynonymGain(shared.analyzer().lex)
    found: list[float] = []
    for line in text.split("\n\n"):
        gain.add(BlockTokens(line), found)
    return found


@pytest.fixture
def no_model(tmp_path: Path) -> Iterator[Path]:
    """The model file replaced by a path that does not exist (the process's model forgotten, then restored)."""
    missing = tmp_path / "missing.lm.bin"
    before = trigram.MODEL_OVERRIDE
    trigram.MODEL_OVERRIDE = str(missing)
    trigram.forget()
    try:
        yield missing
    finally:
        trigram.MODEL_OVERRIDE = before
        trigram.forget()


@needs_model
def test_the_spun_copy_gains_more_than_its_original():
    plain, spun = gains_of(PLAIN), gains_of(SPUN)
    assert len(plain) >= 30 and len(spun) >= 30
    # The spun words' near-synonyms (the writer's words) are far likelier where they stand.
    assert trigram.quantile90(spun) > trigram.quantile90(plain) + 2.0
    assert sum(spun) / len(spun) > 2 * sum(plain) / len(plain)
    assert min(plain + spun) >= 0.0


@needs_model
def test_a_spun_word_gains_and_its_original_does_not():
    gain = trigram.SynonymGain(shared.analyzer().lex)
    # Every word of both is judged; only the spun one has a near-synonym far likelier where it stands (the
    # thesaurus's near-synonyms of "strain" are loose: the gain says a likelier word exists, not which was written).
    *_, spun = gains_of("high blood strain", gain)
    assert gains_of("high blood pressure", gain) == [0.0, 0.0, 0.0]
    assert spun > 6.0


@needs_model
def test_the_page_model_reads_the_signal():
    plain, spun = analyse(PLAIN), analyse(SPUN)
    assert "trigram_q90" in SIGNALS
    assert plain.trigram_words >= 30 and spun.trigram_words >= 30
    assert spun.trigram_q90 > plain.trigram_q90 + 2.0
    model = spin_model()
    at = SIGNALS.index("trigram_q90")
    assert model.weights[at] > 0.0
    # Only the trigram signal differs: the spun copy's, put in the original's counts, raises its probability.
    counts = page_counts(plain)
    lifted = {**counts, "trigram_q90": spun.trigram_q90}
    assert model.probability_of(page_signals(lifted, model.priors)) > model.probability_of(
        page_signals(counts, model.priors)
    )
    assert spun.spin_probability > plain.spin_probability


def test_only_words_a_run_joins_are_context():
    toks = BlockTokens("Rest the knee. Then walk, slowly - and (sit) down\nagain 3 times")
    runs = [[toks.raws[i] for i in run] for run in trigram.runs(toks)]
    assert runs == [["Rest", "the", "knee"], ["Then", "walk", "slowly", "and"], ["sit"], ["down"], ["again"], ["times"]]


def test_quantile90_is_the_value_at_its_rank():
    assert trigram.quantile90([]) == 0.0
    assert trigram.quantile90([3.0]) == 3.0
    assert trigram.quantile90([float(v) for v in range(10, 0, -1)]) == 10.0
    assert trigram.quantile90([float(v) for v in range(20)]) == 18.0


def test_without_the_model_file_hl1_stops_with_an_error_naming_it(no_model: Path, run_cli, tmp_path: Path):
    # The page model leans on this signal most: without it, HL1 must not pass spun pages in silence.
    assert trigram.missing() is not None and str(no_model) in trigram.missing()
    (tmp_path / "a.md").write_text("# Knees\n\nRest the sore knee.\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "--select", "HL1", "a.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"no model file at {no_model}" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("check", "--no-cache", "--select", "HL4", "a.md", cwd=tmp_path).exit_code in (0, 1)


def test_an_unreadable_model_file_is_an_hl002_naming_it_not_a_traceback(tmp_path: Path, run_cli):
    pytest.importorskip("pocketsphinx")
    bad = tmp_path / "bad.lm.bin"
    bad.write_bytes(b"not a language model\n")
    before = trigram.MODEL_OVERRIDE
    trigram.MODEL_OVERRIDE = str(bad)
    trigram.forget()
    shared.analyzer.cache_clear()  # the run's analyzer reads the model afresh, as a new process would
    try:
        reason = trigram.unavailable()
        assert reason is not None and "could not read" in reason and str(bad) in reason
        with pytest.raises(trigram.TrigramModelError, match="could not read"):
            gains_of(SPUN, trigram.SynonymGain(shared.analyzer().lex))
        (tmp_path / "a.md").write_text("# Knees\n\nRest the sore knee.\n", encoding="utf-8")
        result = run_cli("check", "--no-cache", "--select", "HL101", "--format", "json", "a.md", cwd=tmp_path)
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        findings = json.loads(result.stdout)["articles"][0]["findings"]
        assert [(f["code"], "could not read" in f["message"]) for f in findings] == [("HL002", True)]
    finally:
        trigram.MODEL_OVERRIDE = before
        trigram.forget()
        shared.analyzer.cache_clear()


@needs_model
def test_the_model_is_opened_on_the_first_article_without_importing_pocketsphinx():
    # the store is read from the data cache (lmstore.py): pocketsphinx is the source of its file, not a run's import
    script = textwrap.dedent(
        """
        import sys
        from healthlint.article import parse_article
        from healthlint.families.spun import trigram
        from healthlint.families.spun.analysis import Analyzer
        from healthlint.families.spun.options import SpunOptions
        from healthlint.families.spun.settings import compile_settings

        print("pocketsphinx" in sys.modules, len(trigram._opened))
        analyzer = Analyzer()
        text = "Rest the sore knee and raise it on a cushion for an hour or two each day."
        a = analyzer.analyze(parse_article("a.txt", text), compile_settings(SpunOptions()))
        print("pocketsphinx" in sys.modules, len(trigram._opened), a.trigram_words > 0)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["False 0", "False 1 True"]


def test_a_pair_whose_second_word_opens_a_run_has_no_left_context():
    toks = BlockTokens("sore\u00a0knee hurts")  # a gap that is no space of a run
    runs = trigram.runs(toks)
    assert [[toks.raws[i] for i in run] for run in runs] == [["sore"], ["knee", "hurts"]]
    assert trigram.context(toks, runs, 1) == ("<s>", "<s>", "hurts", "")


def test_the_context_of_a_pair_is_read_within_its_run():
    toks = BlockTokens("Sit down. Rest the sore knee on a cushion")
    runs = trigram.runs(toks)
    # The pair "sore knee" (tokens 4 and 5): two words before it, two after, in its run.
    assert trigram.context(toks, runs, 5) == ("rest", "the", "on", "a")
    # "Rest the" opens its run; "a cushion" ends the block.
    assert trigram.context(toks, runs, 3) == ("<s>", "<s>", "sore", "knee")
    assert trigram.context(toks, runs, 8) == ("knee", "on", "", "")


@needs_model
def test_the_likeliest_original_depends_on_the_words_around_it():
    assert trigram.likeliest_pair(["back door", "back pain"], ("<s>", "lower", "and", "stiff")) == "back pain"
    assert trigram.likeliest_pair(["back pain", "back door"], ("open", "the", "and", "walk")) == "back door"
    assert trigram.likeliest_pair([], ("<s>", "<s>", "", "")) is None
    # a word the model does not know after the pair (a drug name, a typo) lowers every candidate alike
    assert trigram.likeliest_pair(["back door", "back pain"], ("<s>", "lower", "zqxwvb", "and")) == "back pain"


def test_without_the_model_the_first_candidate_is_the_original(no_model: Path):
    assert trigram.likeliest_pair(["back door", "back pain"], ("<s>", "lower", "and", "stiff")) == "back door"


@needs_model
def test_a_rare_pair_is_shown_with_the_likeliest_original_in_its_context():
    analyzer = shared.analyzer()
    article = parse_article("a.txt", SPUN)
    analyzer.analyze(article, compile_settings(SpunOptions()))
    shown = {
        (x, y): trigram.likeliest_pair(analyzer.swaps.restore_candidates(x, y), around)
        for _, _, _, x, y, around in analyzer.unlisted_pairs(b for b in article.blocks if b.text.strip())
    }
    assert shown[("the", "ache")] == "the pain"
    assert shown[("initial", "two")] == "first two"
    # Every suggestion is one of the pair's candidates.
    for (x, y), original in shown.items():
        candidates = analyzer.swaps.restore_candidates(x, y)
        assert (original is None) == (not candidates)
        assert original is None or original in candidates


class _Lexicon:
    """A thesaurus of our own: Zipf x 100 per word, and one word's near-synonyms."""

    def __init__(self, zipf: dict[str, int], close: dict[str, frozenset[str]]) -> None:
        self.zipf, self.close = zipf, close

    def zipf100(self, word: str) -> int:
        return self.zipf.get(word, 0)

    def close_synonyms(self, word: str) -> frozenset[str]:
        return self.close.get(word, frozenset())


class _Model:
    """A model that knows some words, and remembers what it was asked."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.asked: list[str] = []

    def prob(self, words: list[str]) -> int:
        self.asked.append(words[0])
        return -1000 if words[0] in self.known else trigram.UNKNOWN * 2


def test_rivals_are_the_commonest_known_near_synonyms_and_the_model_is_asked_only_until_there_are_enough():
    # 14 near-synonyms of "remedy": two rarer than the floor (Zipf 4.00 - 0.50), two not single lowercase words, the
    # two commonest unknown to the model, ties in Zipf broken by the word.
    synonyms = {
        "cure": 600, "treatment": 590, "therapy": 580, "antidote": 560, "fix": 560, "medicine": 540,
        "relief": 520, "answer": 500, "solution": 480, "corrective": 450, "panacea": 360, "nostrum": 340,
        "Cure-all": 550, "cure all": 550,
    }  # fmt: skip
    lex = _Lexicon({"remedy": 400, **synonyms}, {"remedy": frozenset(synonyms)})
    model = _Model({"remedy", *synonyms} - {"cure", "treatment"})
    gain = trigram.SynonymGain(lex)  # type: ignore[arg-type]
    gain._lm = model  # type: ignore[assignment]
    # The definition, asked of every near-synonym: known, Zipf 3.50 or more, letters only, lowercase; commonest first.
    usable = sorted(
        (-z, s) for s, z in synonyms.items() if z >= 350 and s.isalpha() and s.islower() and s in model.known
    )
    expected = tuple(s for _, s in usable[: trigram.MAX_SYNONYMS])
    assert expected == ("therapy", "antidote", "fix", "medicine", "relief", "answer", "solution", "corrective")
    assert gain.rivals("remedy") == expected
    # Asked about the word, then in order of Zipf until eight were known: not about "panacea", rarer than all eight.
    assert model.asked == ["remedy", "cure", "treatment", *expected]
    assert gain.rivals("remedy") == expected and len(model.asked) == 11  # remembered
