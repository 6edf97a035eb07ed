"""ch4_media_crisis and final_simulation: solutions pass every test cell; well-formed wrong
answers fail with the teaching AnswerError (never another exception); no answer leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course import crisis, roleplay
from course.grading.checks import AnswerError

REPO = Path(__file__).resolve().parents[1]
LETTERS = "ABCDEFGH"


def _load(name: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    nb = json.loads((REPO / "source" / name / f"{name}.ipynb").read_text(encoding="utf-8"))
    setup, answers, tests = "", [], []
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        src = "".join(cell["source"])
        if meta.get("grade_id") == "setup":
            setup = src
        elif meta.get("solution") and cell["cell_type"] == "code":
            answers.append(src)
        elif meta.get("grade") and cell["cell_type"] == "code":
            tests.append((meta["grade_id"], src))
    return setup, answers, tests


def _solved(name: str) -> tuple[dict, list[tuple[str, str]]]:
    setup, answers, tests = _load(name)
    ns: dict = {}
    exec(setup, ns)
    for src in answers:
        exec(src, ns)
    return ns, tests


def _letter_of(cp: crisis.Checkpoint, option: crisis.Option) -> str:
    return LETTERS[cp.options.index(option)]


def _worst(cp: crisis.Checkpoint) -> crisis.Option:
    return next(o for o in cp.options if o.quality in ("defensive", "unsafe"))


@pytest.mark.parametrize("name", ["ch4_media_crisis", "final_simulation"])
def test_solutions_pass_every_test_cell(name):
    ns, tests = _solved(name)
    assert tests
    for _gid, src in tests:
        exec(src, dict(ns))


def _wrong_answers_ch4() -> dict[str, object]:
    video = [cp for cp in crisis.incident("viral_video").checkpoints if cp.kind == "decision"]
    extreme = crisis.incident("extreme_act")
    unsafe_first = next(o for o in extreme.checkpoints[0].options if o.quality == "unsafe")
    plan = [_letter_of(cp, cp.best) for cp in extreme.checkpoints if cp.kind == "decision"]
    plan[0] = _letter_of(extreme.checkpoints[0], unsafe_first)
    meter = crisis.start("meter_replacement")
    first, second = meter.incident.checkpoints[:2]
    meter.decide(first.best.id).decide(second.best.id)
    bad_statement = meter.example("defensive")
    meter.statement(meter.example())
    wrong = {f"choice_q{i + 1}": _letter_of(cp, next(o for o in cp.options if o.quality != "best"))
             for i, cp in enumerate(video)}
    wrong.update(plan_q5=plan, statement_q6=bad_statement, reply_q7=meter.example("defensive"))
    return wrong


def _unresolved_choices() -> list[int]:
    for index in range(4):
        talk = roleplay.start("refuse_to_pay", seed=0)
        while not talk.state.ended:
            talk.choose(index)
        if talk.state.outcome != "resolved":
            return [index] * len(talk.transcript)
    raise AssertionError("every constant path resolves the role play")  # pragma: no cover


def _wrong_answers_final() -> dict[str, object]:
    meter = crisis.incident("meter_replacement")
    decisions = [cp for cp in meter.checkpoints if cp.kind == "decision"]
    plan = [_letter_of(cp, cp.best) for cp in decisions]
    plan[1] = _letter_of(decisions[1], _worst(decisions[1]))
    d = crisis.start("meter_replacement")
    d.decide(decisions[0].best.id).decide(decisions[1].best.id)
    return {
        "choice_q1": "A",
        "reply_q2": "表是不会错的，肯定是您家用多了，公司规定就是这样，您爱交不交。",
        "choices_q3": _unresolved_choices(),
        "strategies_q4": {"A", "C"},
        "plan_q5": plan,
        "statement_q6": d.example("defensive"),
    }


@pytest.mark.parametrize(
    ("name", "wrong"),
    [("ch4_media_crisis", _wrong_answers_ch4), ("final_simulation", _wrong_answers_final)],
)
def test_wrong_answers_fail_with_answer_error_only(name, wrong):
    ns, tests = _solved(name)
    for var, value in wrong().items():
        failed = []
        for gid, src in tests:
            if var not in src:
                continue
            try:
                exec(src, {**ns, var: value})
            except AnswerError as exc:
                failed.append(gid)
                assert str(exc) and repr(value)[:20] not in str(exc)
        assert failed, f"{var}: no test cell rejected the wrong answer"


@pytest.mark.parametrize("name", ["ch4_media_crisis", "final_simulation"])
def test_malformed_answers_are_rejected_by_the_visible_checks(name):
    ns, tests = _solved(name)
    for gid, src in tests:
        visible = src.split("### BEGIN HIDDEN TESTS")[0]
        for junk in (None, 42, ["Z"], {"x"}):
            names = [n for n in ns if n.endswith(("_q1", "_q2", "_q3", "_q4", "_q5", "_q6", "_q7"))]
            env = {**ns, **dict.fromkeys(names, junk)}
            with pytest.raises(AnswerError):
                exec(visible, env)
        assert gid
