"""Safety disclaimers (HL201-HL203). Every example sentence is written for these tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.article import parse_article
from healthlint.config import ConfigError
from healthlint.families.disclaimer import advice_model, patterns
from healthlint.families.disclaimer.advice import gives_advice
from healthlint.families.disclaimer.advice_model import FEATURES, features, gives_treatment_advice
from healthlint.families.disclaimer.analysis import analyse, classify_sentence, is_safety_statement
from healthlint.families.disclaimer.meaning import CUES, recognise
from healthlint.families.disclaimer.options import DEFAULT_SUGGESTED_TEXT, DisclaimerOptions
from healthlint.model import Finding, Report, Severity
from healthlint.text.sentences import split_sentences
from healthlint.text.tokens import folded

from .conftest import shared_path

BODY = (
    "# Heat for a stiff back\n\nA warm pad relaxes tight muscles.\n\n"
    "Use it on your back for twenty minutes at a time.\n"
)


def findings(report: Report, prefix: str = "HL2") -> list[Finding]:
    return [f for a in report.articles for f in a.findings if f.code.startswith(prefix)]


def codes(report: Report, prefix: str = "HL2") -> list[str]:
    return [f.code for f in findings(report, prefix)]


def options(**values: Any) -> dict[str, Any]:
    return {"plugins": {"disclaimer": {key.replace("_", "-"): value for key, value in values.items()}}}


# -- Recognising a safety statement ----------------------------------------------------------

SAFETY = [
    "Consult your doctor before you start.",
    "Always consult a pharmacist about persistent pain.",
    "Before trying this, it is wise to talk to a qualified healthcare provider.",
    "Pain that lasts for weeks should be evaluated by a health professional.",
    "This guide is not a substitute for professional medical advice.",
    "Heat can help, but it does not replace a diagnosis or the treatment your doctor prescribes.",
    "These tips should never take the place of your own doctor's advice.",
    "If the pain spreads down your leg, see your GP.",
    "Seek medical attention right away if you lose bladder control.",
    "Call 911 if you have chest pain.",
    "Ask your pharmacist whether the cream suits you.",
    "Check with your physiotherapist before lifting weights.",
    "Your doctor can help you choose the right treatment.",
    "When to see a doctor",
    "This page is for informational purposes only.",
    "Do not stop taking a prescribed medicine without talking to your doctor.",
    "Don't hesitate to call your doctor if anything worries you.",
    "You should discuss any new supplement with your health care provider.",
    "It’s important to get it checked by a doctor.",
    "Rest and see a doctor if it gets worse.",
    "If a stretch hurts, stop and see a doctor.",
    "If a stretch hurts, stop, and ask a doctor or physiotherapist before trying it again.",
    "When the ache returns, rest, then talk to your GP.",
    # the reader's own professional, named by a condition after "your": a possessive or an acronym
    "For questions about your medicines, speak to your Parkinson's nurse, GP or neurologist.",
    "Call your MS nurse if the new symptoms last more than a day.",
    "Your doctor will help you decide whether surgery is right for you.",
]


@pytest.mark.parametrize("sentence", SAFETY)
def test_safety_statements_are_recognised_however_phrased(sentence: str) -> None:
    found = classify_sentence(sentence)
    assert found is not None and found[0] == "safety", sentence
    assert is_safety_statement(sentence)


NOT_SAFETY = [
    "Many patients see their doctor about back pain every year.",
    "After seeing three doctors, she tried massage instead.",
    "He decided not to see a doctor.",
    "When the pain came back, she rested, and saw a doctor.",
    "Researchers at the clinic followed 200 nurses.",
    "If you have any questions about where and how to use our balm, contact us or ask a doctor on our web site.",
    "There is no substitute for a good night's sleep.",
    "Massage therapists use their hands and elbows.",
    "You can learn more when you visit the American Society of Pain Surgeons online.",
    "For questions about your medicines, visit the Parkinson's Foundation Nurses' pages.",
    # what happens at a visit, not that the reader should go
    "Your doctor will check your feet and watch you stand and walk.",
]


@pytest.mark.parametrize("sentence", NOT_SAFETY)
def test_descriptions_stories_and_spam_footers_are_not_safety_statements(sentence: str) -> None:
    found = classify_sentence(sentence)
    assert found is None or found[0] != "safety", (sentence, found)


@pytest.mark.parametrize(
    "text",
    [
        BODY + "\nIf the pain lasts more than a week, talk to\nyour doctor.\n",
        BODY + "\n## When to see a doctor\n\nIf it gets worse or spreads.\n",
        BODY + "\n- Rest.\n- Speak with a qualified health professional if it lasts.\n",
        BODY + "\n**Q: Can heat replace medical care?**\n\nA: No. It does not replace diagnosis or treatment.\n",
        BODY + "\n> Not a substitute for professional medical advice.\n",
        BODY + "\n<div class='note'><p>Talk to your doctor before using heat if you have diabetes.</p></div>\n",
        BODY + "\n| Sign | What to do |\n|---|---|\n| Numb legs | Call 911 |\n",
    ],
    ids=["line-break", "heading", "list-item", "faq-answer", "blockquote", "html", "table"],
)
def test_statements_count_anywhere_in_the_article(lint: Any, text: str) -> None:
    assert codes(lint(text, select=["HL2"])) == []


# -- HL201 missing-safety-disclaimer ---------------------------------------------------------


def test_an_article_without_a_statement_is_an_error_at_its_end(lint: Any) -> None:
    report = lint(BODY, select=["HL2"])
    (finding,) = findings(report)
    assert finding.code == "HL201" and finding.name == "missing-safety-disclaimer"
    assert finding.severity is Severity.ERROR
    assert finding.line == 5 and finding.match == "Use it on your back for twenty minutes at a time."
    assert "expected at the end" in finding.message
    assert finding.suggestion is not None and DEFAULT_SUGGESTED_TEXT in finding.suggestion
    assert report.articles[0].metrics["safety_statement_line"] is None


def test_the_suggested_sentence_is_configurable(lint: Any) -> None:
    config = options(suggested_text="See our medical review policy and talk to your GP.")
    (finding,) = findings(lint(BODY, select=["HL2"], config=config))
    assert finding.suggestion is not None and "talk to your GP" in finding.suggestion


def test_a_negated_referral_does_not_count_and_is_flagged(lint: Any) -> None:
    report = lint(BODY + "\nYou don't need to see a doctor for a stiff back.\n", select=["HL2"])
    assert codes(report) == ["HL201", "HL202"]
    discouraging = findings(report)[1]
    assert discouraging.severity is Severity.WARNING and discouraging.line == 7


def test_a_statement_inside_a_spam_footer_does_not_count(lint: Any) -> None:
    footer = (
        "\nIf you have any inquiries regarding where and how to use [our balm](http://balm.example), "
        "consult a doctor or contact us on our web site.\n"
    )
    assert codes(lint(BODY + footer, select=["HL2"])) == ["HL201"]


def test_plain_text_articles(lint: Any) -> None:
    text = "Heat for a stiff back\nA warm pad relaxes tight muscles.\nIf it does not improve, see a doctor.\n"
    assert codes(lint(text, select=["HL2"], name="heat.txt")) == []
    bare = text.replace("If it does not improve, see a doctor.", "Keep warm.")
    report = lint(bare, select=["HL2"], name="h.txt", config=options(require="always"))
    assert [(f.code, f.line) for f in findings(report)] == [("HL201", 3)]


def test_empty_and_short_articles(lint: Any) -> None:
    assert codes(lint("\n", select=["HL2"])) == []  # ("" would name the current folder)
    assert codes(lint("---\ntitle: Draft\n---\n", select=["HL2"])) == []
    assert codes(lint(BODY, select=["HL2"], config=options(min_words=50))) == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("true", True),
        ("standard", True),
        ('"This article does not replace advice from your doctor."', True),
        ("false", False),
        ('""', False),
        ('"Read more articles like this one on our blog every week."', False),
    ],
)
def test_front_matter_disclaimer(lint: Any, value: str, ok: bool) -> None:
    text = f"---\ntitle: Heat\ndisclaimer: {value}\n---\n{BODY}"
    found = findings(lint(text, select=["HL201"]))
    assert (found == []) is ok
    if not ok and value.startswith('"Read'):
        assert found[0].line == 3 and "does not read as a safety statement" in found[0].message


def test_site_wide_disclaimer_in_config(lint: Any) -> None:
    assert codes(lint(BODY, select=["HL2"], config=options(site_disclaimer=True))) == []
    text = "This site's content is not a substitute for professional medical advice."
    assert codes(lint(BODY, select=["HL2"], config=options(site_disclaimer=text))) == []
    with pytest.raises(ConfigError, match="site-disclaimer"):
        lint(BODY, select=["HL2"], config=options(site_disclaimer="Thanks for reading!"))


def test_require_advice_flags_only_articles_that_give_advice(lint: Any) -> None:
    config = options(require="advice")
    info = "# Sciatica\n\nSciatica is pain along the sciatic nerve.\n\nIt often settles in a few weeks.\n"
    assert codes(lint(info, select=["HL2"], config=config)) == []
    advice = info + "\nTake 400 mg of ibuprofen three times a day.\n"
    (finding,) = findings(lint(advice, select=["HL2"], config=config))
    assert finding.code == "HL201" and "gives advice (line 7)" in finding.message


def test_a_verdict_of_advice_with_no_sentence_found_names_no_line(lint: Any) -> None:
    # A symbol after a full stop starts the next sentence, so its imperative is not read as advice; the model still
    # judges the article as giving it. The message named the first sentence of the opening, a heading, as advice.
    text = (
        "---\ntitle: Sore backs\n---\n\n# Sore backs\n\nIs it good? The answer is yes, for most people. 🙂\n"
        "Take two tablets of ibuprofen every day for your back pain.\n"
    )
    (finding,) = findings(lint(text, select=["HL201"], config=options(require="advice")))
    assert finding.message == (
        "No safety statement telling readers when to see a health professional although it gives treatment advice;"
        " expected at the end"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "You should rest for two days.",
        "Apply a cold pack for ten minutes.",
        "Tip: keep your knees bent when you lift.",
        "Adults can take 500 mg every 6 hours.",
        "Turmeric is the best natural remedy for sore joints.",
    ],
)
def test_advice_is_recognised(sentence: str) -> None:
    # the sentence that HL201 names when the article model says the article gives advice
    assert gives_advice(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Participants took 500 mg of the drug twice a day.",
        "Exercise can also help relieve pain.",
        "How often should I stretch?",
    ],
)
def test_reports_and_questions_are_not_advice(sentence: str) -> None:
    assert not gives_advice(sentence), sentence


DESCRIPTIVE = (
    "# Gout\n\nGout is a form of arthritis caused by crystals of uric acid in a joint. "
    "It most often affects the big toe. The joint becomes hot, red and swollen within hours. "
    "Attacks are more common in men over forty and in people with kidney disease.\n"
)
ADVISING = (
    "# Easing a gout flare\n\nRest the joint and raise it on a pillow. Hold an ice pack on it for 20 minutes "
    "at a time. You should drink plenty of water to help flush uric acid. Avoid beer and red meat while it "
    "settles. Try taking 400 mg of ibuprofen three times a day with food.\n"
)


def test_treatment_advice_is_judged_on_the_whole_article(lint: Any) -> None:
    def sentences(text: str) -> list[str]:
        article = parse_article("a.md", text)
        return [b.text[x:y] for b in article.blocks for x, y in b.sentences]

    assert len(features(sentences(ADVISING))) == len(FEATURES)
    assert gives_treatment_advice(sentences(ADVISING))
    assert not gives_treatment_advice(sentences(DESCRIPTIVE))
    # the default: only the article that gives advice needs a safety statement, and the metric says which
    report = lint(ADVISING, select=["HL2"])
    assert codes(report) == ["HL201"]
    assert report.articles[0].metrics["gives_treatment_advice"] is True
    report = lint(DESCRIPTIVE, select=["HL2"])
    assert codes(report) == [] and report.articles[0].metrics["gives_treatment_advice"] is False
    assert codes(lint(DESCRIPTIVE, select=["HL2"], config=options(require="always"))) == ["HL201"]
    # under require = "always" nothing asks whether the article advises: the model is not run
    report = lint(DESCRIPTIVE, select=["HL2"], config=options(require="always"))
    assert "gives_treatment_advice" not in report.articles[0].metrics


def _feature(sentences: list[str], name: str) -> float:
    return features(sentences)[FEATURES.index(name)]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("You should drink a glass of water before each meal.", "advice_share"),
        ("Patients may want to cut back on red meat.", "advice_share"),
        ("2. Apply the cream to the patch twice a day.", "advice_share"),
        ("It is best to rest the ankle for a day or two.", "advice_share"),
        ("Make sure you stretch your calves every morning.", "advice_share"),
        ("Try soaking the foot in warm water.", "advice_share"),
        ("We recommend taking it with food.", "advice_share"),
        ("Treatment may include creams, tablets or light therapy.", "description_share"),
        ("Your doctor may prescribe a stronger painkiller.", "description_share"),
        ("Mild cases are usually treated with rest.", "description_share"),
        ("Most dentists recommend brushing twice a day.", "recommendations"),
        ("The tablets should be taken after a meal.", "recommendations"),
        ("A warm salt bath eases sore muscles.", "remedy_effects"),
        ("Our specialists offer nerve blocks and physical therapy.", "service_share"),
        ("We treat every kind of sports injury, from sprains to fractures.", "service_share"),
        ("You can book an appointment online or by phone.", "service_share"),
        ("The nurse will ask you some questions during a video consultation.", "service_share"),
    ],
)
def test_the_sentence_kinds_the_advice_model_reads(sentence: str, kind: str) -> None:
    filler = "The knee is the largest joint of the body."
    assert _feature([filler, sentence], kind) > _feature([filler, filler], kind) == 0


_BOUNDED = [pattern for kind in advice_model._KINDS for pattern in kind.patterns if pattern.starts]
_PIECES = sorted(
    {word for pattern in _BOUNDED for word in pattern.starts}
    | {"Doctors", "YOU", "someone", "treatments", "may", "should", "be", "taken", "'you", "’s", "include"}
    | {
        "recommends",
        "taking",
        "can",
        "prescribe",
        "that",
        "to",
        "take",
        "rest",
        "\u0130",
        "\u017f",
        "\u212a",
        ",",
        ".",
        "-",
    }
)


@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.sampled_from(["", " "]))
@settings(max_examples=300, deadline=None)
def test_a_pattern_tried_where_its_starts_occur_finds_what_a_whole_search_finds(words: list[str], glue: str) -> None:
    text = (glue or " ").join(words) if glue else "".join(f"{w} " if i % 3 else w for i, w in enumerate(words))
    for pattern in _BOUNDED:
        whole = pattern.regex.search(text) is not None
        assert pattern.found_in(text, folded(text)) == whole


@given(
    st.lists(
        st.sampled_from(["400", "2.5", "1,000", "5.", "x", "²", "mg", "mg.", "mg,", "ml", "g", "cups", "tsp"]),
        max_size=10,
    ),
    st.lists(st.sampled_from([" ", "", "\n", "\u00a0", "-"]), min_size=10, max_size=10),
)
@settings(max_examples=300, deadline=None)
def test_a_glued_dose_is_a_word_whose_digits_and_stops_end_in_a_unit(pieces: list[str], glues: list[str]) -> None:
    text = "".join(piece + glue for piece, glue in zip(pieces, glues, strict=False))
    words = [word for word in text.split() if word[0] in "0123456789"]
    assert len(advice_model._GLUED_DOSE_RE.findall(text)) == sum(
        word.lstrip("0123456789.,") in advice_model._UNITS for word in words
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Should you take vitamin D in winter?",  # a question
        "The volunteers were told to drink more water.",  # a report, not an instruction
        "The use of antibiotics has grown.",  # a verb of the list as a noun
        "Taking the stairs can be hard with a bad knee.",  # no modal or imperative frame
    ],
)
def test_sentences_that_are_not_advice(sentence: str) -> None:
    assert _feature([sentence], "advice_share") == 0


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Rest is the first treatment for a sprain.", "imperative_share"),  # a noun before a verb
        ("• Sleep Problems", "imperative_share"),  # a heading in title case
        ("• Sleep Problems", "advice_share"),
        ("Skip to main content", "imperative_share"),  # page chrome
        ("Click the link below to share this page.", "imperative_share"),
        ("See a GP if the pain lasts more than a week.", "imperative_share"),  # a referral, not a treatment
        ("Call 111 if you have a high fever.", "imperative_share"),
        ("Two trials suggest that zinc shortens a cold.", "recommendations"),  # what research suggests
        ("We use cookies to make this website work.", "service_share"),  # the site, not a provider
        ("Rest and ice can ease a sprained ankle.", "imperative_share"),  # nouns of the list's verbs
    ],
)
def test_sentences_that_are_not_of_a_kind(sentence: str, kind: str) -> None:
    assert _feature([sentence], kind) == 0


def test_an_imperative_is_still_an_imperative() -> None:
    for sentence in (
        "Sleep on your back with a pillow under your knees.",
        "• Rest the knee for two days.",
        "Tip: ice it.",
    ):
        assert _feature([sentence], "imperative_share") == 1, sentence


def test_a_page_on_when_to_seek_care_is_not_treatment_advice() -> None:
    page = [
        "Shingles is a painful rash caused by the virus that also causes chickenpox.",
        "It usually appears as a band of blisters on one side of the body.",
        "The symptoms include burning pain, itching and a fever.",
        "Treatment may include antiviral tablets, which work best in the first three days.",
        "Your doctor may also prescribe painkillers.",
        "The rash is treated by a doctor, and most people recover within a month.",
    ]
    assert not gives_treatment_advice(page)
    assert gives_treatment_advice(
        [
            "Shingles pain can keep you awake.",
            "Apply a cool, damp cloth to the blisters several times a day.",
            "You should take 500 mg of paracetamol every six hours if the pain is bad.",
            "Wear loose cotton clothes and avoid scratching the rash.",
            "A lukewarm oatmeal bath soothes the itching.",
        ]
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "It might be sensible to see a psychologist if the worry keeps you awake.",
        "Professional medical consultation is crucial when a rash spreads.",
        "Do not take these tablets without your pharmacist's approval.",
        "This page is for educational purposes only.",
        "Nothing here is a diagnosis or personal medical advice.",
        "A licensed professional should be consulted before any change of dose.",
        "• Ask your pharmacist which cream suits dry skin.",
        "Seek medical attention if the swelling spreads.",
        "If the cough lasts, you should call NHS 111.",
        "If your GP suggests an iron tablet, ask them how long to take it.",
    ],
)
def test_safety_statements_are_recognised_by_meaning(sentence: str) -> None:
    assert recognise(sentence) is not None, sentence
    found = classify_sentence(sentence)
    assert found is not None and found[0] == "safety", sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "She saw a specialist last spring.",
        "Most patients visit a GP first.",
        "Your doctor can diagnose gout from a blood test.",
        "Medical care costs rose again this year.",
        "Millions of adults seek medical attention for back pain every year.",
        "You don't need to see a doctor for a common cold.",
        "Her doctor said she should ask them for a refund.",
        "The nurse saw the patient and asked him to lie down.",
    ],
)
def test_mentions_of_professionals_are_not_safety_statements(sentence: str) -> None:
    assert recognise(sentence) is None, sentence


def test_meaning_records_accept_their_examples() -> None:
    for cue in CUES:
        assert recognise(cue.guarded.example) is not None, cue.kind


def test_bad_options_are_configuration_errors(lint: Any) -> None:
    with pytest.raises(ConfigError, match="require"):
        lint(BODY, config=options(require="sometimes"))
    with pytest.raises(ConfigError, match="min-words"):
        lint(BODY, config=options(min_words=-1))


# -- HL202 and HL203 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Most people with a stiff back don't need to see a doctor.",
        "There's no need to consult your GP for this.",
        "Treat it at home instead of seeing a doctor.",
        "Skip the doctor's appointment and try this stretch.",
    ],
)
def test_discouraging_professional_care(lint: Any, sentence: str) -> None:
    report = lint(f"{BODY}\n{sentence}\n\nSee a doctor if numbness starts.\n", select=["HL2"])
    assert codes(report) == ["HL202"], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "If the pain does not improve, see a doctor.",
        "Don't wait to call your doctor if your leg goes numb.",
        "Never change a dose without first asking your pharmacist.",
    ],
)
def test_negations_that_send_readers_to_a_professional_are_safety_advice(lint: Any, sentence: str) -> None:
    assert codes(lint(f"{BODY}\n{sentence}\n", select=["HL2"])) == [], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Drink this tea daily and you can stop taking your arthritis medicine.",
        "Replace your blood pressure pills with beet juice.",
        "Forget pills.",
    ],
)
def test_advice_to_stop_medicine_is_an_error(lint: Any, sentence: str) -> None:
    report = lint(f"{BODY}\n{sentence}\n\nSee a doctor if it hurts.\n", select=["HL2"])
    (finding,) = findings(report)
    assert finding.code == "HL203" and finding.severity is Severity.ERROR, sentence
    assert finding.suggestion and "without talking to your doctor" in finding.suggestion


@pytest.mark.parametrize(
    "sentence",
    [
        "Patients who stop taking statins have more heart attacks.",
        "Do not stop taking your medicine without talking to your doctor.",
        "Ask your doctor before you stop taking any medicine.",
    ],
)
def test_reports_and_warnings_about_stopping_medicine_are_fine(lint: Any, sentence: str) -> None:
    assert "HL203" not in codes(lint(f"{BODY}\n{sentence}\n", select=["HL2"])), sentence


# -- Robustness, documentation, real text ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\ufffd", "Consult " * 5000, "医生" * 400, "doctor, " * 3000, "Don't " * 2000 + "see a doctor."],
)
def test_odd_text_never_raises(text: str) -> None:
    for name in ("x.md", "x.txt"):
        analyse(parse_article(name, text), DisclaimerOptions(require="advice"))


def test_rule_documentation_examples_behave_as_documented(lint: Any) -> None:
    from healthlint.rules import doc_sections, rules_in

    for rule in rules_in("healthlint.families.disclaimer"):
        sections = doc_sections(rule.doc)
        example = sections["Example"].split("```")[1].split("\n", 1)[1]
        instead = sections["Instead"].split("```")[1].split("\n", 1)[1]
        assert rule.code in codes(lint(example, select=[rule.code])), rule.code
        assert rule.code not in codes(lint(instead, select=["HL2"])), rule.code


def test_nih_pages_with_a_plain_safety_phrase_are_recognised() -> None:
    """Every NIH page that says "consult/talk to/see your doctor" in the plainest way is recognised."""
    import re

    plain = re.compile(r"\b(?:consult|talk (?:to|with)|see|ask|call) your (?:doctor|health care provider)\b", re.I)
    path = shared_path("corpus", "health", "medquad_nih_consumer100.jsonl")
    missed = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if plain.search(row["text"]):
            result = analyse(parse_article("n.txt", row["text"]), DisclaimerOptions())
            if result.source is None:
                missed.append(row["id"])
    assert missed == []


# -- Word pre-checks: they may only skip patterns that cannot match ---------------------------------


@pytest.mark.parametrize("guarded", patterns.GUARDED, ids=lambda g: g.example)
@pytest.mark.parametrize("shout", [False, True], ids=["as-written", "upper-case"])
def test_each_pattern_matches_its_example_and_its_words_let_it_through(guarded: patterns.Guarded, shout: bool) -> None:
    assert guarded.regex.search(guarded.example), "the example must match its pattern"
    sentence = guarded.example.upper() if shout else guarded.example
    # Some patterns want lower-case filler words; whenever one matches, its words must let it through.
    assert not guarded.regex.search(sentence) or patterns.may_match(patterns.present_words(sentence), guarded)


def test_the_words_skip_most_sentences_and_blocks() -> None:
    sentence = "Warm the pad in the microwave for a minute and wrap it in a towel."
    assert not any(patterns.may_match(patterns.present_words(sentence), guarded) for guarded in patterns.GUARDED)
    assert not patterns.worth_reading(sentence)
    assert patterns.worth_reading("Stop the cream if it stings.")
    assert patterns.worth_reading("Ask your GP.") and patterns.worth_reading("ASK YOUR GP.")
    assert patterns.worth_reading("Ask your ſpecialist.")  # long s: no lower case to look in, so the patterns decide


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*patterns.ALL_WORDS, "Doctor", "ſee", "PHYSİCIAN", "the", "cream", "stop!", "GP", "care team", "quit."]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_a_sentence_s_mask_allows_what_its_words_allow(sentence: str) -> None:
    """The bits of :func:`patterns.sentence_mask` answer for every wording as :func:`patterns.may_match` does."""
    present = patterns.present_words(sentence)
    expected = tuple(patterns.may_match(present, guarded) for guarded in patterns.GUARDED)
    assert patterns.wordings_allowed(patterns.sentence_mask(sentence)) == expected
    words = patterns.words_in(sentence)
    assert patterns.wordings_allowed(patterns.sentence_mask(sentence, words)) == expected
    # a block's words come from one pass that skips what worth_reading found missing: the same words
    assert patterns.block_words(sentence) == (words if patterns.worth_reading(sentence) else None)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Doctor.",
                "doctors",
                "see",
                "your",
                "don’t",
                "don't",
                "need",
                "a",
                "GP.",
                "Stop",
                "taking",
                "pills.",
                "Call",
                "911.",
                "ΑΣ.",
                "ΟΔΟΣ",
                "İf",
                "NHS",
                "nurse",
                "to",
                "talk",
                "It",
                "is",
                "not",
                "medical",
                "advice.",
            ]
        ),
        max_size=24,
    ).map(" ".join)
)
def test_a_block_s_words_leave_each_sentence_s_answer_unchanged(text: str) -> None:
    words = patterns.words_in(text)
    for start, end in split_sentences(text):
        sentence = text[start:end]
        assert classify_sentence(sentence, words) == classify_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "If it hurts, ſee your doctor.",  # long s: re.IGNORECASE reads it as "see"
        "If it hurts, see your physıcian.",  # dotless i
        "If it hurts, see your PHYSİCIAN.",  # capital I with dot above
    ],
)
def test_letters_that_fold_unlike_lower_case_take_the_full_path(sentence: str) -> None:
    from healthlint.text.tokens import folded

    assert folded(sentence) is None
    found = classify_sentence(sentence)
    assert found is not None and found[0] == "safety"


_TREATMENT_PIECES = [
    *(" ", "a", "Best", "NATURAL", "top", "home", "remedy", "Remedies", "cures", "treatment", "TREATMENTS"),
    *("ways to", "way to", "ease", "get rid of", "treat", "treating", "your", "with", "at home", "ſ", "İ", "x"),
]


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TREATMENT_PIECES), max_size=10).map(" ".join))
def test_a_recommended_treatment_holds_a_word_of_its_pre_check(sentence: str) -> None:
    from healthlint.families.disclaimer import advice

    if advice._ADVICE_RES[-1].search(sentence):
        low = folded(sentence)
        assert low is None or any(word in low for word in advice._TREATMENT_WORDS)
