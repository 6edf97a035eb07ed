"""The utility's own course: a local profile swapped in by a data edit, not a code edit.

Unit tests of the profile engine (template, validator, how the profile is chosen, the cards, the
facts filled into role-play), then the swap itself: with another utility's profile every lesson
runs top to bottom and shows that utility's rules, and the nbgrader round trip scores the source
solutions full marks against that utility's tariff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from course import local
from course.local.schema import FIELDS

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "course" / "data" / "local" / "_template.yaml"


def _other_profile(tmp_path: Path) -> Path:
    """A second utility: Wuhan's verified tariff and rules that differ from 示例市's everywhere."""
    raw = local.load("shili").as_dict()
    raw.update(id="other_utility", utility="另一家供水公司", city="武汉市", fictional=True,
               tariff="wuhan")
    raw["hotline"]["number"] = "87654321"
    raw["meter_test"].update(days=7, fee=85)
    raw["deferral"]["max_days"] = 20
    raw["household_increase"].update(review_days=3, materials=["户口簿", "房产证"])
    path = tmp_path / "other_utility.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the engine

def test_every_shipped_profile_is_valid_and_names_a_known_tariff():
    assert local.profiles() == ["shili"]
    for pid in local.profiles():
        p = local.load(pid)
        assert p.id == pid and p.tariff().name


def test_the_template_explains_every_field_and_nothing_else():
    raw = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    paths = set()
    for key, value in raw.items():
        paths |= {f"{key}.{sub}" for sub in value} if isinstance(value, dict) else {key}
    assert paths == {f.path for f in FIELDS}
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    leaves = [line for line in lines if ":" in line and not line.lstrip().startswith("#")
              and not line.rstrip().endswith(":")]
    unexplained = [line for line in leaves if not re.search(r"[\u4e00-\u9fff]", line)]
    assert unexplained == [], "every field of the template is explained in Chinese"


def test_the_validator_names_each_field_and_what_is_allowed():
    raw = local.load("shili").as_dict()
    raw["meter_test"]["days"] = "十天"
    raw["late_fee"]["rate_per_day"] = 0.5
    raw["tariff"] = "atlantis"
    raw["authority"]["never"] = []
    raw["meter_tset"] = {}
    problems = local.validate(raw, "shili")
    text = "\n".join(problems)
    assert "验表出结果的时限（工作日）" in text and "整数" in text and "十天" in text
    assert "0 到 0.01 之间" in text
    assert "atlantis" in text and "wuhan" in text
    assert "authority.never" in text and "至少一项" in text
    assert "不认识的字段“meter_tset”" in text
    assert len(problems) == 5
    assert local.validate(local.load("shili").as_dict(), "shili") == []


def test_a_broken_profile_file_is_refused_in_chinese_without_a_traceback(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\nmeter_test: [\n", encoding="utf-8")
    with pytest.raises(local.ProfileError, match="格式有误"):
        local.read(bad)
    out = subprocess.run([sys.executable, "-m", "course.cli", "--root", str(REPO), "profile",
                          "check", str(bad)], capture_output=True, text=True)
    assert out.returncode == 2
    assert "格式有误" in out.stderr and "Traceback" not in out.stderr


def test_the_profile_is_chosen_by_env_then_config_then_default(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    monkeypatch.delenv("COURSE_PROFILE_JSON", raising=False)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    deep = tmp_path / "release" / "ch1"
    deep.mkdir(parents=True)
    assert local.current_id(deep) == local.DEFAULT
    local.set_in_config(tmp_path, "shili")
    assert 'c.CourseLocal.profile = "shili"' in (tmp_path / "nbgrader_config.py").read_text()
    assert local.current_id(deep) == "shili"
    other = _other_profile(tmp_path)
    monkeypatch.setenv("COURSE_PROFILE", str(other))
    assert local.current(deep).utility == "另一家供水公司"
    monkeypatch.setenv("COURSE_PROFILE_JSON", '{"id": "x"}')  # what a grading kernel receives
    with pytest.raises(local.ProfileError):
        local.current(deep)


def test_cards_and_role_play_facts_come_from_the_profile(tmp_path, monkeypatch):
    from course.roleplay import catalog

    shown = str(local.show("meter_test"))
    assert "检定费 60 元" in shown and "10 个工作日" in shown
    options = [o.text for b in catalog.load_scenario("refuse_to_pay").beats for o in b.options]
    assert any("检定费 60 元" in t for t in options)
    assert not any("{本地." in t for t in options)
    monkeypatch.setenv("COURSE_PROFILE", str(_other_profile(tmp_path)))
    assert "检定费 85 元" in str(local.show("meter_test"))
    options = [o.text for b in catalog.load_scenario("refuse_to_pay").beats for o in b.options]
    assert any("检定费 85 元" in t and "7 个工作日" in t for t in options)
    quota = [o.text for b in catalog.load_scenario("quota_too_low").beats for o in b.options]
    assert any("户口簿、房产证" in t for t in quota)


def test_no_placeholder_in_the_data_names_a_field_the_profile_lacks():
    fields = {f.path for f in FIELDS}
    for path in (REPO / "course" / "data").rglob("*.yaml"):
        for m in re.finditer(r"\{本地\.([a-z_.]+)\}", path.read_text(encoding="utf-8")):
            assert m.group(1) in fields, f"{path.name}: {m.group(0)}"


def test_the_calculator_opens_on_the_profile_tariff(tmp_path, monkeypatch):
    from course.widgets import BillCalculator

    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert BillCalculator(charts=False, debounce=0)._city.value == "shili"
    monkeypatch.setenv("COURSE_PROFILE", str(_other_profile(tmp_path)))
    assert BillCalculator(charts=False, debounce=0)._city.value == "wuhan"


def test_grading_kernels_receive_the_course_profile(tmp_path, monkeypatch):
    from course.grading.worker import _profile_json

    monkeypatch.setenv("COURSE_PROFILE", str(_other_profile(tmp_path)))
    assert '"utility": "另一家供水公司"' in _profile_json(REPO)


# --------------------------------------------------------------------------- the swap


@pytest.fixture(scope="module")
def other_profile(tmp_path_factory):
    path = _other_profile(tmp_path_factory.mktemp("profile"))
    saved = os.environ.get("COURSE_PROFILE")
    os.environ["COURSE_PROFILE"] = str(path)  # kernels started from now on inherit it
    yield path
    if saved is None:
        os.environ.pop("COURSE_PROFILE", None)
    else:
        os.environ["COURSE_PROFILE"] = saved


LESSONS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.notebooks
@pytest.mark.parametrize("relpath", LESSONS)
def test_every_lesson_runs_with_another_utility_profile(relpath, other_profile):
    from tests.test_notebooks import _execute, _problems, raw_values

    nb = _execute(REPO / relpath, allow_errors=True)
    assert _problems(nb, released=False) == []
    assert raw_values(nb) == []
    if relpath.startswith("notebooks/01_"):
        shown = "\n".join(str(o.get("data", {}).get("text/markdown", ""))
                          for c in nb.cells for o in c.get("outputs", []))
        assert "另一家供水公司" in shown and "检定费 85 元" in shown


@pytest.mark.nbgrader
def test_the_round_trip_scores_the_solutions_against_the_other_utility(other_profile, tmp_path):
    from nbgrader.api import Gradebook

    from course import tariff
    from course.grading.release import make_api

    cwd = os.getcwd()
    root = tmp_path / "course"
    shutil.copytree(REPO / "source", root / "source")
    try:
        api = make_api(root)
        for name in ("ch1_tiered_pricing", "final_simulation"):
            assert api.generate_assignment(name, force=True, create=True)["success"]
            dest = root / "submitted" / "solutions" / name
            dest.mkdir(parents=True)
            for nb in (root / "source" / name).glob("*.ipynb"):
                shutil.copy(nb, dest / nb.name)
            res = api.autograde(name, "solutions", force=True, create=True)
            assert res["success"], res["log"]
            with Gradebook(api.coursedir.db_url) as gb:
                sub = gb.find_submission(name, "solutions")
                lost = [(g.name, g.auto_score, g.max_score) for nb in sub.notebooks
                        for g in nb.grades if g.auto_score is not None
                        and g.auto_score != g.max_score]
            assert lost == [], f"{name}: the solutions lose points under another profile: {lost}"
        graded = root / "autograded" / "solutions" / "ch1_tiered_pricing"
        nb = nbformat.read(next(graded.glob("*.ipynb")), as_version=4)
        text = "\n".join(str(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []))
        assert tariff.load("wuhan").name in text  # the item read the other utility's tariff
    finally:
        os.chdir(cwd)
