"""The spin model (HL107, HL101's model verdict): its shipped weights, its signals, and its tiers."""

from __future__ import annotations

from healthlint.article import parse_article
from healthlint.families.spun import shared
from healthlint.families.spun.analysis import MAX_DEMOTION, Analyzer, demotion
from healthlint.families.spun.lexicon import build
from healthlint.families.spun.lexicon.lookups import Lexicon
from healthlint.families.spun.lexicon.units import INDEX_VERSION
from healthlint.families.spun.model import SIGNALS, page_counts, page_signals, spin_model
from healthlint.families.spun.options import SpunOptions
from healthlint.families.spun.settings import compile_settings
from healthlint.families.spun.swaps import CONTENT, ODD, UNLISTED, SwapFinder

CLEAN = """Many office workers sit for long hours, and that raises the risk of lower back pain and stiff
shoulders. A short walk each hour helps the blood flow in the legs, and a simple stretch loosens the
muscles of the upper back. Try to stand during phone calls. Most adults need about 150 minutes of
moderate exercise a week. Brisk walking, cycling to work or swimming all count. If you have a
long-term condition, talk to your doctor before you start a new plan, and build up slowly.
"""
SPUN = """Many workplace employees sit for lengthy hours, and that raises the danger of decrease again ache and
stiff shoulders. A brief stroll each hour helps the blood strain within the legs, and a easy stretch
loosens the muscle tissues of the higher again. Attempt to stand throughout phone calls. Most grown ups
want about 150 minutes of average train every week. Brisk strolling, biking to work or swimming all rely.
If you happen to have a long-term situation, converse to your physician earlier than you begin a brand
new plan, and construct up slowly.
"""


def analyse(text: str):  # type: ignore[no-untyped-def]
    return shared.analyzer().analyze(parse_article("a.txt", text), compile_settings(SpunOptions()))


def test_the_shipped_model_matches_the_signals_and_orders_its_tiers():
    model = spin_model()
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(SIGNALS)
    assert 0.5 < model.suspect <= model.verdict < 1.0
    assert model.min_words == 80
    assert set(model.priors) == {
        "unlisted_rate",
        "content_unlisted_rate",
        "odd_rate",
        "uncommon_rate",
        "unknown_rate",
        "demotion",
        "trigram_q90",
    }


def test_a_spun_text_scores_far_above_its_original():
    clean, spun = analyse(CLEAN), analyse(SPUN)
    assert clean.spin_probability is not None and spun.spin_probability is not None
    assert spun.spin_probability > 0.9 > clean.spin_probability
    assert spun.unlisted_pairs > clean.unlisted_pairs and spun.odd_pairs > clean.odd_pairs


def test_short_texts_are_not_judged_and_rates_shrink_towards_clean_prose():
    short = analyse("The blood strain within the legs is a easy stretch of the higher again.")
    assert short.spin_probability is None and not short.suspected and not short.verdict_by_model
    priors = spin_model().priors
    empty = dict.fromkeys(page_counts(analyse(CLEAN)), 0.0)
    assert page_signals(empty, priors)[0] == priors["unlisted_rate"]


def test_pair_flags_mark_listed_unlisted_odd_and_content_pairs():
    finder = SwapFinder(shared.analyzer().lex)
    finder.check("rather", "than")
    assert finder.memo["rather than"][1] & UNLISTED == 0
    finder.check("slightly", "than")
    assert finder.memo["slightly than"][1] & (UNLISTED | ODD) == UNLISTED | ODD
    finder.check("blood", "strain")
    assert finder.memo["blood strain"][1] & CONTENT
    assert finder.restore_broken("blood", "strain") == "blood pressure"


# A paragraph of ours, and a word-for-word spinner's copy of it: plain words put back as rarer near-synonyms.
PLAIN = """Many people start to walk more when their doctor tells them that their blood sugar is too high. A
short walk after each meal can help, and most people find it easy to keep up. Start slowly, use good shoes,
and ask your doctor before you change your medicine. Keep a simple log of how far you walk each day.
"""
REWORDED = """Numerous individuals commence to walk more when their physician informs them that their blood sugar
is excessively high. A brief walk after every meal can assist, and most individuals discover it effortless to
maintain. Commence gradually, utilize decent footwear, and inquire of your physician before you modify your
medication. Maintain an uncomplicated log of how far you walk every day.
"""


def test_demotion_is_how_much_more_common_a_words_commonest_near_synonym_is():
    lex = shared.analyzer().lex
    assert demotion(lex, "utilize") > 1.5 > demotion(lex, "use")
    assert demotion(lex, "commence") > 1.5 > demotion(lex, "start")
    assert all(0.0 <= demotion(lex, w) <= MAX_DEMOTION for w in ("people", "individuals", "diabetes", "the"))


def test_the_index_holds_each_words_demotion_as_its_near_synonyms_give_it():
    # The analysis reads each word's demotion from the index (one lookup); it must be the value the
    # definition gives from the word's near-synonym list, to the last bit, for the words the index
    # stores and for those it leaves out (0).
    lex = shared.analyzer().lex
    frequent = sorted(lex.frequent_words)
    sample = [*frequent[::25], "utilize", "commence", "individuals", "people", "use", "the", "diabetes"]
    values = {w: lex.demotion(w) for w in sample}
    assert values == {w: demotion(lex, w) for w in sample}
    assert 0 < sum(v > 0.0 for v in values.values()) < len(values)  # both kinds of word were compared
    assert values["utilize"] > 1.5 and values["people"] == 0.0


def test_demotions_are_computed_at_build_time_and_left_out_when_zero():
    zipf = {"utilize": 312, "use": 571, "employ": 402, "exploit": 380, "rest": 520, "sleep": 520, "begin": 300}
    zipf["start"] = 650
    close = {
        "utilize": {"use", "employ"},
        "use": {"utilize", "employ"},
        "employ": {"utilize", "use", "exploit"},
        "exploit": {"employ"},
        "rest": {"sleep"},
        "sleep": {"rest"},
        "begin": {"start"},
        "start": {"begin"},
    }
    stored = build.demotions(close, zipf)
    assert set(stored) == {"utilize", "employ", "exploit", "begin"}  # use, rest, sleep and start: 0, not stored
    assert stored["utilize"] == 5.71 - 3.12 and stored["employ"] == 5.71 - 4.02 and stored["exploit"] == 4.02 - 3.8
    assert stored["begin"] == MAX_DEMOTION  # 3.5, clipped
    parts = {"meta": {"index": INDEX_VERSION}, "zipf": {w: z * 2 for w, z in zipf.items()}}
    closes = {w: " ".join(sorted(ss)) for w, ss in close.items()}
    with_part = Lexicon({**parts, "close": closes, "demotion": stored})
    without = Lexicon({**parts, "close": closes})  # an index without the part computes it
    for w in zipf:
        assert with_part.demotion(w) == without.demotion(w) == demotion(without, w)


def test_the_page_models_inputs_are_those_of_the_definition():
    # The same analysis with each word's demotion computed from its near-synonyms, as before it was
    # stored in the index: every input of the page model is the same.
    lex = shared.analyzer().lex

    class Definition(Lexicon):
        def __init__(self) -> None:
            self.__dict__.update(lex.__dict__)

        def demotion(self, word: str) -> float:
            return demotion(self, word)

    settings = compile_settings(SpunOptions())
    for text in (CLEAN, SPUN, PLAIN, REWORDED):
        article = parse_article("a.txt", text)
        stored = page_counts(Analyzer(lex).analyze(article, settings))
        defined = page_counts(Analyzer(Definition()).analyze(article, settings))
        assert stored == defined
        assert stored["graded_words"] > 15 and stored["demotion"] > 0.0


def test_demotion_rises_on_a_word_for_word_spun_copy():
    plain, reworded = analyse(PLAIN), analyse(REWORDED)
    assert plain.graded_words > 15 and reworded.graded_words > 15
    assert reworded.demotion / reworded.graded_words > plain.demotion / plain.graded_words + 0.3
    priors = spin_model().priors
    at = SIGNALS.index("demotion")
    low, high = page_signals(page_counts(plain), priors)[at], page_signals(page_counts(reworded), priors)[at]
    assert high > priors["demotion"] > low
