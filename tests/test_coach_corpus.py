"""The reply coach against its labelled corpus (tests/data/coach/, see its README and HISTORY).

The training and dev parts are guarded against regressions at bars a little under their figures
when this test was written. The test part (``test_t*.yaml``) is only checked for well-formed labels
here: its figures are measured once, by hand, and recorded in HISTORY.md, never asserted by a test
that someone could tune the coach to pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.coach import list_scenarios
from course.coach.eval import evaluate, load_corpus
from course.coach.rules import rules

DATA = Path(__file__).parent / "data" / "coach"
TRAIN, DEV = DATA / "train.yaml", DATA / "dev.yaml"
TESTS = sorted(DATA.glob("test_t*.yaml"))
REGISTERS = {"counter", "hotline", "wechat", "colloquial", "regional", "nopunct", "typo"}


def _forbidden_ids() -> set[str]:
    from course.coach.acts import acts

    return {a.id for a in acts().values() if a.kind == "forbidden"}


@pytest.fixture(scope="module")
def parts() -> dict[str, list[dict]]:
    return {"train": load_corpus(TRAIN), "dev": load_corpus(DEV),
            **{p.stem: load_corpus(p) for p in TESTS}}


def test_there_is_exactly_one_untouched_test_part_and_it_is_recorded_in_the_history():
    assert len(TESTS) == 1, TESTS
    history = (DATA / "HISTORY.md").read_text(encoding="utf-8")
    assert f"`{TESTS[0].name}`" in history


def test_corpus_is_large_varied_and_well_labelled(parts):
    replies = [e for part in parts.values() for e in part]
    assert len(replies) >= 1000
    ids = [e["id"] for e in replies]
    assert len(ids) == len(set(ids))
    known_scenarios = {s.id for s in list_scenarios()}
    forbidden = _forbidden_ids()
    assert len({e["s"] for e in replies}) >= 15
    for e in replies:
        assert e["s"] in known_scenarios and e["q"] in ("good", "medium", "bad"), e["id"]
        assert set(e.get("acts") or ()) <= forbidden, e["id"]
        for act, span in (e.get("spans") or {}).items():
            assert act in e["acts"] and span in e["t"], e["id"]
        if "reg" in e:
            assert e["reg"] in REGISTERS, e["id"]
        if e["q"] == "good":
            assert not e.get("acts") and not e.get("salad"), e["id"]
        if e.get("salad"):
            assert e["q"] == "bad" and not e["next"], e["id"]
    for q in ("good", "medium", "bad"):
        assert sum(e["q"] == q for e in replies) >= 200
    assert len({e.get("reg") for e in replies} - {None}) == len(REGISTERS)
    traps = [e for e in replies if not e.get("acts") and "“" in e["t"]]
    assert len(traps) >= 50  # forbidden words quoted to reject them, and other look-alikes


@pytest.mark.parametrize(("part", "bars"), [
    ("train", {"forbidden_precision": 0.93, "forbidden_recall": 0.92, "sandwich_accuracy": 0.9,
               "next_step_accuracy": 0.9, "ordering": 0.93, "salads_below_pass": 0.97}),
    ("dev", {"forbidden_precision": 0.86, "forbidden_recall": 0.85, "sandwich_accuracy": 0.87,
             "next_step_accuracy": 0.92, "ordering": 0.86, "salads_below_pass": 1.0}),
])
def test_no_regression_on_the_training_and_dev_parts(parts, part, bars):
    m = evaluate(parts[part])
    low = {k: round(getattr(m, k), 3) for k, v in bars.items() if getattr(m, k) < v}
    assert not low, (low, m.errors[:20])
    assert m.mean_score["good"] > m.mean_score["medium"] > m.mean_score["bad"]


def test_every_gaming_reply_of_the_dev_part_stays_below_the_pass_line(parts):
    line = rules().pass_score
    from course.coach import review

    for e in parts["dev"]:
        if e.get("salad"):
            r = review(e["t"], scenario=e["s"])
            assert r.score < line and not r.passed, (e["id"], r.score)


def test_the_shipped_model_is_what_training_on_the_training_part_gives():
    from course.coach.train import OUT, fit

    shipped = json.loads(OUT.read_text(encoding="utf-8"))
    trained = json.loads(json.dumps(fit(load_corpus(TRAIN)), ensure_ascii=False))
    assert trained["threshold"] == shipped["threshold"]
    assert trained["clauses"] == shipped["clauses"]
    assert trained["forbidden_clauses"] == shipped["forbidden_clauses"]
    assert set(trained["coef"]) == set(shipped["coef"])
    assert max(abs(trained["coef"][g] - shipped["coef"][g]) for g in shipped["coef"]) < 1e-4


def test_the_shipped_structure_models_are_what_training_gives():
    from course.coach.train import STRUCTURE_OUT, fit_structure

    shipped = json.loads(STRUCTURE_OUT.read_text(encoding="utf-8"))
    trained = json.loads(json.dumps(fit_structure(load_corpus(TRAIN)), ensure_ascii=False))
    for name in ("step", "layers"):
        assert trained[name]["replies"] == shipped[name]["replies"] > 1000
        assert set(trained[name]["coef"]) == set(shipped[name]["coef"])
        assert max(abs(trained[name]["coef"][g] - shipped[name]["coef"][g])
                   for g in shipped[name]["coef"]) < 1e-4
