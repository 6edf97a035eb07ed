"""Quality of the reply coach on the labelled corpus tests/data/coach_corpus.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course.coach import list_forbidden_rules, list_scenarios
from course.coach.eval import evaluate

CORPUS = Path(__file__).parent / "data" / "coach_corpus.yaml"


@pytest.fixture(scope="module")
def corpus() -> dict:
    with open(CORPUS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SECTIONS = ("replies", "holdout", "holdout2")


@pytest.fixture(scope="module")
def metrics(corpus):
    return evaluate([e for key in SECTIONS for e in corpus[key]])


def test_corpus_is_large_varied_and_well_labelled(corpus):
    replies = [e for key in SECTIONS for e in corpus[key]]
    assert len(corpus["replies"]) >= 150
    ids = [e["id"] for e in replies]
    assert len(ids) == len(set(ids))
    known_scenarios = {s.id for s in list_scenarios()}
    known_rules = {r.id for r in list_forbidden_rules()}
    assert len({e["s"] for e in replies}) >= 8
    for e in replies:
        assert e["s"] in known_scenarios and e["q"] in ("good", "medium", "bad")
        assert isinstance(e["sw"], bool) and set(e["fb"]) <= known_rules
        if e["q"] == "good":  # the label definition in the corpus header
            assert not e["fb"] and e["sw"]
    for q in ("good", "medium", "bad"):
        assert sum(e["q"] == q for e in replies) >= 30
    traps = [e for e in replies if not e["fb"] and "“" in e["t"]]
    assert len(traps) >= 10  # quoted-to-reject replies


def test_forbidden_precision_and_recall_at_least_0_9(metrics):
    assert metrics.forbidden_precision >= 0.9, metrics.errors
    assert metrics.forbidden_recall >= 0.9, metrics.errors


def test_three_layer_accuracy_at_least_0_85(metrics):
    assert metrics.sandwich_accuracy >= 0.85, metrics.errors


def test_score_orders_good_over_medium_over_bad_for_90_percent_of_pairs(metrics):
    assert metrics.ordering >= 0.9
    assert metrics.mean_score["good"] > metrics.mean_score["medium"] > metrics.mean_score["bad"]


@pytest.mark.parametrize("section", SECTIONS)
def test_each_corpus_section_meets_the_bars_on_its_own(corpus, section):
    m = evaluate(corpus[section])
    assert m.forbidden_precision >= 0.9 and m.forbidden_recall >= 0.9, m.errors
    assert m.sandwich_accuracy >= 0.85 and m.ordering >= 0.9, m.errors
