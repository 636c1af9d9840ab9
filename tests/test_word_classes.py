"""scripts/build_word_classes.py and scripts/measure_word_classes.py: the wave 12 measurement of word classes for the
spun page model (nothing of it ships; these check that the measurement measures what bench/README.md says)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

build = pytest.importorskip("build_word_classes")
measure = pytest.importorskip("measure_word_classes")
tsm = measure.tsm

from healthlint.families.spun.swaps import CONTENT, UNLISTED  # noqa: E402


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_kmeans_finds_well_separated_groups_and_is_the_same_on_every_run() -> None:
    rng = np.random.default_rng(3)
    centres = np.eye(3, 8)
    v = _unit(np.vstack([centres[i] + 0.05 * rng.normal(size=(30, 8)) for i in range(3)]))
    labels = build.kmeans(v, 3, seed=12)
    groups = [set(labels[i * 30 : (i + 1) * 30].tolist()) for i in range(3)]
    assert all(len(g) == 1 for g in groups)
    assert len(set.union(*groups)) == 3
    assert (build.kmeans(v, 3, seed=12) == labels).all()


def test_an_unlisted_pair_of_classes_seen_together_is_plausible_and_one_of_classes_never_seen_is_not() -> None:
    klass = {"the": 0, "again": 1, "ankles": 2, "legs": 2}
    table = np.array([[0.0, -3.0, 2.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    pairs = [("the ankles", UNLISTED), ("the again", UNLISTED), ("the legs", 0), ("ankles again", UNLISTED | CONTENT)]
    counts = measure.candidate_counts(pairs, klass, table, tau=-1.0)
    assert counts["implausible_pairs"] == 1  # "the again"; "ankles again" (PMI 0) is above tau
    assert counts["frame_implausible_pairs"] == 1
    assert counts["content_implausible_pairs"] == 0
    assert counts["unlisted_not_plausible"] == 1
    assert counts["classed_pairs"] == 4
    assert counts["classed_unlisted_pairs"] == 3
    assert counts["unlisted_surprise"] == pytest.approx(-2.0 + 3.0 + 0.0)
    # An unclassed word leaves the pair unjudged by the classes, but it still counts as not shown plausible.
    unclassed = measure.candidate_counts([("the calves", UNLISTED)], klass, table, tau=-1.0)
    assert unclassed["classed_pairs"] == 0 and unclassed["implausible_pairs"] == 0
    assert unclassed["unlisted_not_plausible"] == 1


def test_a_candidate_signal_is_shrunk_towards_clean_prose_like_the_model_signals() -> None:
    name = "implausible_rate"
    priors = {name: 0.1}
    assert tsm.candidate_signals({"implausible_pairs": 0, "pairs": 0}, [name], priors) == [pytest.approx(0.1)]
    short = tsm.candidate_signals({"implausible_pairs": 10, "pairs": 20}, [name], priors)[0]
    long = tsm.candidate_signals({"implausible_pairs": 100, "pairs": 200}, [name], priors)[0]
    assert 0.1 < short < long < 0.5
