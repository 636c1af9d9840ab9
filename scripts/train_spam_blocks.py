"""Fit the spam-block classifier (HL517) on the labelled web pages, report out-of-fold figures, write its weights.

Labels are regenerated from ``../shared/corpus/web/dev_pages.jsonl`` every run: a unit (one sentence of one
block, see ``healthlint.families.links.spamblocks``) is spam when it overlaps a ``spam_evidence`` string of a
page labelled ``spam: true``; every unit of a page labelled ``spam: false`` is not. Pages labelled ``null`` are
left out of fitting and of the figures.

Out-of-fold: pages are grouped by ``scripts/devgroups.py`` (registered domain, the networks the corpus README
names, shared text) and dealt into its 5 ``folds``, spam pages spread evenly; in
each the L2 strength (among ``L2_CHOICES``) and the threshold are chosen on the pooled scores of 5 inner 3-fold
group splits of the training pages only (repeated with different seeds, as one split's choice swings with its seed),
so no figure printed under "out of fold" saw its own page (nested cross-validation). A page counts as found only
when a flagged unit overlaps its evidence. ``--seed`` deals the outer folds differently (the figures move by a page
or two with it); ``--l2`` fixes the strength instead of choosing it.
The final model is fitted on every labelled page with L2 and the threshold chosen the same way, and written to
``src/healthlint/families/links/data/spam_blocks.json`` (``--write``). HL519 (error) confirms spam on a page
with ``CONFIRM_UNITS`` units at that threshold in its body, or with one selling unit there (``spamblocks.sells``)
at the one-unit tier, or with one unit there at the threshold that is a teaser of other pages' headlines
(``Unit.teaser``: a sign, not fitted; ``--no-teasers`` measures HL519 without it); its figures are printed beside
HL517's. The tier is chosen inside each training fold too, on
the same inner scores (``choose_tier``), and never under the score at which the fold's model would flag more than
``MAX_CLEAN_FLAGGED`` of the clean documents of ``CLEAN_POOL`` (MedQuAD answers, press releases, news stories:
careful copy that the labelled pages hold too little of); ``--tier-units any`` and ``--tier-score noisy-or``
measure the alternatives. The 100 NIH consumer pages of ``../shared/corpus/health/``, kept out of the pool, are then
scored with the final model (no page there may get HL519).

Usage: nice -n 10 .venv/bin/python scripts/train_spam_blocks.py [--write] [--seed N] [--l2 X] [--verbose]
       [--tier-units selling|any] [--tier-score max|noisy-or] [--no-teasers]

Needs numpy (a dev dependency; the runtime reads only the JSON).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import logistic
import numpy as np
from devgroups import folds as group_folds
from devgroups import groups

from healthlint.article.parse import parse_article
from healthlint.config import Config
from healthlint.families.links.spamblocks import BODY_END, CONFIRM_UNITS, Model, confirmed, sells
from healthlint.families.links.spamfeatures import FEATURES, units

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "corpus" / "web" / "dev_pages.jsonl"
POSITION = FEATURES.index("position")
NIH = ROOT.parent / "shared" / "corpus" / "health" / "medquad_nih_consumer100.jsonl"
#: Clean documents no one-unit tier may flag more than ``MAX_CLEAN_FLAGGED`` of (the text of each record).
CLEAN_POOL = (
    ROOT.parent / "shared" / "corpus" / "clean" / "medquad_dev.jsonl.gz",
    ROOT.parent / "shared" / "corpus" / "health" / "fakehealth_healthrelease_hnr200.jsonl",
    ROOT.parent / "shared" / "corpus" / "health" / "fakehealth_healthstory_rated200.jsonl",
)
OUT = ROOT / "src" / "healthlint" / "families" / "links" / "data" / "spam_blocks.json"
#: The L2 strengths each training fold chooses among, strongest first (a tie goes to the stronger): strong enough that
#: a sign seen on two or three pages cannot carry a page alone (at 3, out of fold the fold thresholds ranged
#: 0.32-0.44 in wave 7; at 30, 0.15-0.26). Chosen inside each training fold by its inner splits, like the threshold,
#: so the out-of-fold figures saw neither choice made on their own pages.
L2_CHOICES = (100.0, 30.0, 10.0, 3.0)
FOLDS = 5
#: Up-weighting of spam units (about 1 in 60 units is spam); larger values crowd the probabilities near 1.
POSITIVE_WEIGHT = 1.0
INNER_FOLDS = 3
#: Inner splits pooled per threshold: one 3-fold split alone picked anything from 0.31 to 0.61 by its seed.
INNER_REPEATS = 5
#: The threshold maximises F-beta of page precision and evidence recall; below 1 precision weighs more.
BETA = 0.5
#: HL519's one-unit tier is the lowest score down to which the pages it flags alone keep this page precision on the
#: inner splits, with no clean reputable page: spam with the confidence of two units.
TIER_PRECISION = 0.95
#: ... and it flags at most this many of the 837 documents of ``CLEAN_POOL`` (0.24%; picked among 0 to 4 after seeing
#: the out-of-fold figures of each: bench/README.md). The labelled pages alone put the tier near the warning
#: threshold, where it would withhold some thirty clean releases, stories and answers.
MAX_CLEAN_FLAGGED = 2
#: No tier: no score reaches it.
TIER_OFF = math.inf
#: Whether a teaser of other pages' headlines in the body confirms spam (HL519), as ``spamblocks.confirmed`` has it;
#: ``--no-teasers`` measures HL519 as it was without it.
TEASERS = True


@dataclass
class Page:
    record: dict[str, Any]  # the labelled page (its url and text decide its group)
    group: str
    spam: bool | None
    reputable: bool
    #: Each unit's features, whether it overlaps evidence, its label used for fitting, and whether it is a teaser.
    rows: list[tuple[list[float], bool, bool, bool]]
    #: Flagged by another HL5 rule at warning level or above (nothing fitted), and on its evidence.
    others: tuple[bool, bool] = (False, False)
    #: The same at error level: what withholds the page beside HL519.
    other_errors: tuple[bool, bool] = (False, False)


@dataclass
class Scored:
    page: Page
    #: Each unit's probability, whether it is on evidence, whether in the body, whether the tier may cut it, whether
    #: it is a teaser of other pages' headlines in the body (which confirms spam alone at the threshold).
    probs: list[tuple[float, bool, bool, bool, bool]]


@dataclass(frozen=True)
class Tier:
    """What the one-unit tier cuts: a selling unit (``spamblocks.sells``) or ``any`` unit of the body, by its own
    probability (``max``) or by the noisy-or of all such units at the threshold (``noisy-or``: the chance that one of
    them is spam, were they independent)."""

    units: str = "selling"
    score: str = "max"

    def eligible(self, features: list[float]) -> bool:
        return self.units == "any" or sells(features)


def other_rules(pages: list[Page]) -> None:
    """What the default HL5 rules but HL517 find on each page (``healthlint check``, as bench/eval_web.py runs it).

    They are not fitted, so together with HL517's out-of-fold scores they give the family's out-of-fold figures.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_web import Page as WebPage
    from eval_web import check_json, locate, overlaps

    healthlint = Path(sys.executable).with_name("healthlint")
    with tempfile.TemporaryDirectory(prefix="train-spam-") as tmp:
        for i, page in enumerate(pages):
            Path(tmp, f"page_{i:03d}.txt").write_text(page.record["text"], encoding="utf-8", newline="")
        report = check_json(healthlint, Path(tmp), "--ignore", "HL517,HL519")
    found = {Path(a["path"]).name: a["findings"] for a in report["articles"]}
    for i, page in enumerate(pages):
        web = WebPage(i, page.record, f"page_{i:03d}.txt", found[f"page_{i:03d}.txt"])
        wheres = [w for w in (locate(web.text, e) for e in web.labels.get("spam_evidence") or []) if w]
        spans = [web.span(f) for f in web.hits(["HL5"], "warning")]
        page.others = (bool(spans), any(overlaps(s, w) for s in spans for w in wheres))
        spans = [web.span(f) for f in web.hits(["HL5"], "error")]
        page.other_errors = (bool(spans), any(overlaps(s, w) for s in spans for w in wheres))


def page_rows(text: str, evidence: list[str], spam: bool | None) -> list[tuple[list[float], bool, bool, bool]]:
    article = parse_article("page.txt", text, "text")
    spans = []
    for phrase in evidence:
        at = text.find(phrase)
        if at >= 0:
            spans.append((at, at + len(phrase)))
    rows = []
    for unit in units(article):
        start, end = unit.block.offset(unit.start), unit.block.offset(max(unit.start, unit.end - 1)) + 1
        hit = any(start < b and a < end for a, b in spans)
        rows.append((unit.features, hit, bool(spam) and hit, unit.teaser))
    return rows


def load() -> list[Page]:
    records = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines()]
    pages = []
    for record, group in zip(records, groups(records), strict=True):
        labels = record["labels"]
        rows = page_rows(record["text"], labels.get("spam_evidence") or [], labels["spam"])
        pages.append(Page(record, group, labels["spam"], record["reputable_publisher"], rows))
    return pages


def fit(pages: list[Page], l2: float) -> Model:
    """The unit model on the labelled pages' units (``logistic.fit``), spam units up-weighted."""
    xs = np.array([f for p in pages if p.spam is not None for f, _, _, _ in p.rows], dtype=float)
    ys = np.array([y for p in pages if p.spam is not None for _, _, y, _ in p.rows], dtype=float)
    mean, scale = logistic.standardise(xs)
    positives = float(ys.sum())
    weight_pos = min(POSITIVE_WEIGHT, (len(ys) - positives) / max(1.0, positives))
    weights, bias = logistic.fit((xs - mean) / scale, ys, l2, np.where(ys > 0, weight_pos, 1.0))
    return Model(tuple(map(float, weights)), bias, tuple(map(float, mean)), tuple(map(float, scale)), 0.5)


def folds(pages: list[Page], n: int, seed: int) -> list[list[Page]]:
    """``n`` folds of whole groups (scripts/devgroups.py), spam pages spread evenly over them."""
    fold_of = group_folds([p.record for p in pages], n, seed=seed, positive=[bool(p.spam) for p in pages])
    return [[p for p, f in zip(pages, fold_of, strict=True) if f == k] for k in range(n)]


def unit_scores(model: Model, pages: list[Page], tier: Tier) -> list[Scored]:
    """Each page with the model's probability of every unit, whether the unit is on evidence, in the body, and one
    that ``tier`` may cut."""
    return [
        Scored(
            page,
            [
                (model.probability(f), hit, f[POSITION] < BODY_END, tier.eligible(f), teaser and f[POSITION] < BODY_END)
                for f, hit, _, teaser in page.rows
            ],
        )
        for page in pages
    ]


def page_scores(model: Model, pages: list[Page]) -> list[tuple[Page, float, float]]:
    """Each page with its highest unit probability, and its highest probability on a unit of its evidence."""
    return [warning_score(s) for s in unit_scores(model, pages, Tier())]


def warning_score(scored: Scored) -> tuple[Page, float, float]:
    top = max((u[0] for u in scored.probs), default=0.0)
    on_evidence = max((u[0] for u in scored.probs if u[1]), default=0.0)
    return scored.page, top, on_evidence


def confirmed_scores(model: Model, pages: list[Page]) -> list[tuple[Page, float, float]]:
    """Each page scored as HL519's two-unit rule sees it: the ``CONFIRM_UNITS``-th highest probability among the units
    of its body (``BODY_END``), found on evidence when a unit of its evidence reaches that probability too."""
    out = []
    for s in unit_scores(model, pages, Tier()):
        body = sorted((u[0] for u in s.probs if u[2]), reverse=True)
        nth = body[CONFIRM_UNITS - 1] if len(body) >= CONFIRM_UNITS else 0.0
        on_evidence = max((u[0] for u in s.probs if u[1]), default=0.0)
        out.append((s.page, nth, min(nth, on_evidence)))
    return out


def single_score(probs: list[tuple[float, bool, bool, bool, bool]], threshold: float, tier: Tier) -> float:
    """The score the one-unit tier cuts, from the units of a body at the threshold that the tier may cut."""
    body = [u[0] for u in probs if u[2] and u[3] and u[0] >= threshold]
    if tier.score == "max":
        return max(body, default=0.0)
    return 1.0 - math.prod(1.0 - p for p in body)


def hl519_verdicts(
    scored: list[Scored], threshold: float, cut: float, tier: Tier, two_units: bool = True
) -> list[tuple[Page, float, float]]:
    """HL519 on each page as 1.0 or 0.0 (flagged, found on evidence), for :func:`figures` at 0.5: the two-unit rule
    and a teaser of the body at the threshold (unless ``two_units`` is off: the tier alone; the teaser with
    :data:`TEASERS`) or the one-unit tier at ``cut``. A flagged page is found on evidence when a unit of its evidence
    reaches the warning threshold (HL519 reports every such unit)."""
    out = []
    for s in scored:
        body = sum(1 for u in s.probs if u[2] and u[0] >= threshold)
        teaser = TEASERS and any(u[4] and u[0] >= threshold for u in s.probs)
        flagged = (two_units and (body >= CONFIRM_UNITS or teaser)) or single_score(s.probs, threshold, tier) >= cut
        on_evidence = flagged and any(u[1] and u[0] >= threshold for u in s.probs)
        out.append((s.page, float(flagged), float(on_evidence)))
    return out


def clean_pool() -> list[list[tuple[list[float], bool]]]:
    """The features of every unit of each document of ``CLEAN_POOL``, with whether it is a teaser (empty when the
    corpora are absent)."""
    trusted = Config().trusted()
    docs = []
    for path in CLEAN_POOL:
        if not path.exists():
            return []
        with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as f:
            for line in f:
                article = parse_article("doc.txt", json.loads(line).get("text") or "", "text")
                docs.append([(unit.features, unit.teaser) for unit in units(article, trusted)])
    return docs


def clean_floor(model: Model, threshold: float, tier: Tier, docs: list[list[tuple[list[float], bool]]]) -> float:
    """The lowest cut at which the one-unit tier flags at most ``MAX_CLEAN_FLAGGED`` of ``docs`` (those the two-unit
    rule or a teaser already confirms are not counted)."""
    scores = []
    for units_of in docs:
        probs = [
            (model.probability(f), False, f[POSITION] < BODY_END, tier.eligible(f), teaser and f[POSITION] < BODY_END)
            for f, teaser in units_of
        ]
        teased = TEASERS and any(u[4] and u[0] >= threshold for u in probs)
        if sum(1 for u in probs if u[2] and u[0] >= threshold) < CONFIRM_UNITS and not teased:
            scores.append(single_score(probs, threshold, tier))
    scores.sort(reverse=True)
    if len(scores) <= MAX_CLEAN_FLAGGED or scores[MAX_CLEAN_FLAGGED] < threshold:
        return 0.0
    # Just above that document's score, at the six decimals the JSON keeps.
    return math.floor(scores[MAX_CLEAN_FLAGGED] * 1e6 + 1) / 1e6


def choose_tier(scored: list[Scored], threshold: float, tier: Tier) -> float:
    """The one-unit tier on the labelled pages: the lowest score down to which the pages it flags on its own stay
    spam with ``TIER_PRECISION`` and hold no clean reputable page; above every score (off) when the top page fails."""
    candidates = sorted({single_score(s.probs, threshold, tier) for s in scored if s.page.spam is not None})
    cut = TIER_OFF
    for t in reversed(candidates):
        if t < threshold:
            break
        f = figures(hl519_verdicts(scored, threshold, t, tier, two_units=False), 0.5)
        if f["precision"] < TIER_PRECISION or f["clean_reputable_flagged"]:
            break
        cut = t
    return cut


def with_others(scored: list[tuple[Page, float, float]], errors: bool = False) -> list[tuple[Page, float, float]]:
    """The scores with the other HL5 rules' findings (``errors``: at error level) counted as certain (1.0): the
    family's figures."""
    return [
        (p, max(top, 1.0 * flagged), max(ev, 1.0 * on_evidence))
        for p, top, ev in scored
        for flagged, on_evidence in [p.other_errors if errors else p.others]
    ]


def figures(scored: list[tuple[Page, float, float]], threshold: float) -> dict[str, float]:
    labelled = [s for s in scored if s[0].spam is not None]
    flagged = [s for s in labelled if s[1] >= threshold]
    tp = sum(1 for s in flagged if s[0].spam)
    found = sum(1 for s in labelled if s[0].spam and s[2] >= threshold)
    spam = sum(1 for s in labelled if s[0].spam)
    clean_reputable = [s for s in labelled if s[0].reputable and not s[0].spam]
    return {
        "flagged": len(flagged),
        "tp": tp,
        "precision": tp / len(flagged) if flagged else 1.0,
        "found_on_evidence": found,
        "spam": spam,
        "recall_on_evidence": found / spam if spam else 0.0,
        "clean_reputable_flagged": sum(1 for s in clean_reputable if s[1] >= threshold),
        "clean_reputable": len(clean_reputable),
    }


def choose_threshold(
    scored: list[tuple[Page, float, float]], max_clean_share: float = 1.0
) -> tuple[float, tuple[float, float]]:
    """The best F-beta of page precision and evidence recall (a precision target alone picks one-page thresholds),
    among the thresholds that flag at most ``max_clean_share`` of the clean reputable pages; with its F-beta and
    precision."""
    candidates = sorted({s[1] for s in scored} | {0.5}, reverse=True)
    best, best_key = 0.99, (-1.0, -1.0)
    for t in candidates:
        f = figures(scored, t)
        if not f["flagged"]:
            continue
        if f["clean_reputable_flagged"] > max_clean_share * f["clean_reputable"]:
            continue
        p, r = f["precision"], f["recall_on_evidence"]
        fbeta = (1 + BETA**2) * p * r / (BETA**2 * p + r) if p + r else 0.0
        key = (fbeta, p)
        if key > best_key:
            best, best_key = t, key
    return best, best_key


def inner_choice(train: list[Page], l2s: tuple[float, ...], tier: Tier) -> tuple[float, float, list[Scored]]:
    """The L2 strength and the threshold, chosen on the out-of-fold scores of ``train`` alone: for each strength the
    best threshold of the pooled inner splits, and the strength whose best is best; with the pooled inner scores of
    that strength (every page once per inner split), on which the one-unit tier is chosen."""
    splits = [folds(train, INNER_FOLDS, seed=7 + repeat) for repeat in range(INNER_REPEATS)]
    best: tuple[float, float, list[Scored]] = (l2s[0], 0.99, [])
    best_key = (-1.0, -1.0)
    for l2 in l2s:
        scored = []
        for split in splits:
            for fold in split:
                inside = [p for p in train if p not in fold]
                scored.extend(unit_scores(fit(inside, l2), fold, tier))
        threshold, key = choose_threshold([warning_score(s) for s in scored])
        if key > best_key:
            best, best_key = (l2, threshold, scored), key
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every flagged or spam page")
    parser.add_argument("--write", action="store_true", help=f"write the final model to {OUT.relative_to(ROOT)}")
    parser.add_argument("--seed", type=int, default=1, help="seed of the outer folds (default 1)")
    parser.add_argument("--l2", type=float, help="fit with this L2 strength instead of choosing it in each fold")
    parser.add_argument("--tier-units", choices=("selling", "any"), default="selling", help="units the tier may cut")
    parser.add_argument("--tier-score", choices=("max", "noisy-or"), default="max", help="the score the tier cuts")
    parser.add_argument(
        "--no-teasers", action="store_true", help="HL519 without the teaser of other pages' headlines (for comparison)"
    )
    args = parser.parse_args()
    if args.no_teasers:
        global TEASERS
        TEASERS = False
    if not PAGES.exists():
        print(f"no labelled pages at {PAGES}", file=sys.stderr)
        return 2
    pages = load()
    tier = Tier(args.tier_units, args.tier_score)
    clean = clean_pool()
    print(f"{len(pages)} pages, {sum(len(p.rows) for p in pages)} units, {len({p.group for p in pages})} groups")
    print(f"one-unit tier: {tier}; clean pool: {len(clean)} documents, at most {MAX_CLEAN_FLAGGED} flagged")
    # Scores are pooled relative to each fold's own thresholds, so that one cut at 0.5 serves every fold.
    oof: dict[str, list[tuple[Page, float, float]]] = {
        key: [] for key in ("warning", "confirmed", "tier alone", "HL519", "HL519, labelled pages alone")
    }
    l2s = L2_CHOICES if args.l2 is None else (args.l2,)
    for fold in folds(pages, FOLDS, seed=args.seed):
        train = [p for p in pages if p not in fold]
        l2, threshold, inner = inner_choice(train, l2s, tier)
        model = fit(train, l2)
        labelled_cut = choose_tier(inner, threshold, tier)
        cut = max(labelled_cut, clean_floor(model, threshold, tier, clean))
        print(
            f"  fold of {len(fold)} pages: L2 {l2:g}, threshold {threshold:.3f}, "
            f"tier {cut:.3f} (labelled pages alone {labelled_cut:.3f})"
        )
        for page, top, ev in page_scores(model, fold):
            oof["warning"].append((page, top - threshold + 0.5, ev - threshold + 0.5))
        for page, nth, ev in confirmed_scores(model, fold):
            oof["confirmed"].append((page, nth - threshold + 0.5, ev - threshold + 0.5))
        held_out = unit_scores(model, fold, tier)
        oof["tier alone"] += hl519_verdicts(held_out, threshold, cut, tier, two_units=False)
        oof["HL519"] += hl519_verdicts(held_out, threshold, cut, tier)
        oof["HL519, labelled pages alone"] += hl519_verdicts(held_out, threshold, labelled_cut, tier)
    other_rules(pages)
    print(f"out of fold (fold seed {args.seed}; L2, threshold and tier chosen inside each training fold):")
    print("  HL517, a unit at the threshold (warning): " + json.dumps(figures(oof["warning"], 0.5)))
    print(f"  {CONFIRM_UNITS} units at the threshold: " + json.dumps(figures(oof["confirmed"], 0.5)))
    print("  the one-unit tier alone: " + json.dumps(figures(oof["tier alone"], 0.5)))
    print(f"  HL519 (error), {CONFIRM_UNITS} units or the tier: " + json.dumps(figures(oof["HL519"], 0.5)))
    print(
        "  the same, the tier from the labelled pages alone: "
        + json.dumps(figures(oof["HL519, labelled pages alone"], 0.5))
    )
    # The other rules report at warning level and above, so they count with HL517's warnings only.
    family = json.dumps(figures(with_others(oof["warning"]), 0.5))
    print("out of fold, HL517 or another default HL5 rule (warning level and above): " + family)
    withheld = json.dumps(figures(with_others(oof["HL519"], errors=True), 0.5))
    print("out of fold, withheld: HL519 or another HL5 error: " + withheld)
    if args.verbose:
        confirmed_pages = {id(page) for page, flagged, _ in oof["HL519"] if flagged}
        for page, top, ev in sorted(oof["warning"], key=lambda s: -s[1]):
            label = {True: "SPAM", False: "clean", None: "null"}[page.spam]
            tag = " HL519" if id(page) in confirmed_pages else ""
            print(f"  {label:5} top={top:+.2f} evidence={ev:+.2f}{tag} {page.record['url'][:80]}")
    l2, threshold, inner = inner_choice(pages, l2s, tier)
    fitted = fit(pages, l2)
    labelled_cut = choose_tier(inner, threshold, tier)
    cut = max(labelled_cut, clean_floor(fitted, threshold, tier, clean))
    final = Model(fitted.weights, fitted.bias, fitted.mean, fitted.scale, threshold, cut)
    print(f"final: L2 {l2:g}, threshold {threshold:.3f}, tier {cut:.3f} (labelled pages alone {labelled_cut:.3f})")
    print(
        "in sample, HL517 or another default HL5 rule: "
        + json.dumps(figures(with_others(page_scores(final, pages)), threshold))
    )
    verdicts = hl519_verdicts(unit_scores(final, pages, tier), threshold, cut, tier)
    print(f"in sample, HL519 ({CONFIRM_UNITS} units or the tier): " + json.dumps(figures(verdicts, 0.5)))
    print("in sample, HL519 or another HL5 error: " + json.dumps(figures(with_others(verdicts, errors=True), 0.5)))
    for name, w in sorted(zip(FEATURES, final.weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {w:+.3f}  {name}")
    if NIH.exists():
        tops = []
        for line in NIH.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = "\n\n".join(f"{qa['question']}\n{qa['answer']}" for qa in record["qa_pairs"])
            article = parse_article("nih.txt", text, "text")
            found = [(u, p) for u in units(article) if (p := final.probability(u.features)) >= threshold]
            tops.append((confirmed(found, cut), bool(found)))
        print(
            f"NIH consumer pages: {sum(t[0] for t in tops)}/{len(tops)} with HL519 (error), "
            f"{sum(t[1] for t in tops)} with a unit at the threshold"
        )
    if args.write:
        if tier != Tier() or not TEASERS:
            print("only the shipped kind of tier (selling units, max), with teasers, can be written", file=sys.stderr)
            return 2
        OUT.write_text(json.dumps(final.as_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
