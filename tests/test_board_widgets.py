"""ObserverSheet, Poll and ActionPlan (without a browser): thin views posting to the class board."""

from __future__ import annotations

import pytest

from course import kits
from course.board import BoardError, open_board
from course.board import aggregate as ag
from course.kits import KitError
from course.widgets.classroom import ActionPlan, Poll
from course.widgets.observer import ObserverSheet

SCENARIO = "price_hike"


@pytest.fixture(autouse=True)
def drafts(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DRAFTS_DIR", str(tmp_path / "drafts"))
    monkeypatch.delenv("COURSE_BOARD_URL", raising=False)
    return tmp_path / "drafts"


@pytest.fixture
def board(tmp_path):
    return open_board(url=f"sqlite:///{tmp_path / 'board.sqlite'}")


# -- ObserverSheet ------------------------------------------------------------------------------

def test_observer_sheet_has_every_box_of_the_kit_sheet_and_a_live_score(board):
    s = ObserverSheet(SCENARIO, board=board, learner="wang", delay=0)
    sheet = kits.observer_sheet(SCENARIO)
    assert list(s.ticks) == [it.id for _, it in kits.sheet_items(sheet)]
    assert s.observer.value == "wang" and sheet.title in s.children[0].value
    assert 'data-score="0"' in s.score_view.value
    s.tick("action1", "step2", "layer1", "forbidden_shirk")
    expected = kits.score(sheet, s.ticks)
    assert (expected.score, expected.forbidden_heard) == (3, 1)
    assert f'data-score="3" data-max="{expected.max}" data-forbidden="1"' in s.score_view.value


def test_observer_sheet_posts_the_sheet_with_its_score(board):
    s = ObserverSheet(SCENARIO, pair="第3组", board=board, learner="wang", delay=0)
    s.tick("action1", "action2", "move_hear")
    s.note.value = "开口先道歉，很好"
    s.submit_button.click()
    [post] = board.rows("observer")
    p = post.payload
    assert (post.learner, p["scenario"], p["pair"], p["observer"]) == (
        "wang", SCENARIO, "第3组", "wang")
    assert p["score"] == 3 and p["max"] == s.result.max and p["note"] == "开口先道歉，很好"
    assert p["ticks"]["action1"] is True and p["ticks"]["step1"] is False
    assert "已提交观察表" in s.status.value and "做到 3 / " in s.status.value
    assert ag.observer_scores(board.rows())[0].pair == "第3组"


def test_observer_sheet_needs_a_group_and_keeps_the_ticks(board):
    s = ObserverSheet(SCENARIO, board=board, learner="wang", delay=0)
    s.tick("action1")
    s.submit_button.click()
    assert "“小组”不能为空" in s.status.value and board.rows() == []
    assert s.ticks["action1"] is True


def test_observer_ticks_and_note_come_back_in_a_fresh_widget(board):
    s = ObserverSheet(SCENARIO, board=board, learner="wang", delay=0)
    s.tick("step1", "layer3")
    s.pair.value = "第1组"
    s.note.value = "语速可以慢一点"
    again = ObserverSheet(SCENARIO, board=board, learner="wang", delay=0)
    assert {k for k, v in again.ticks.items() if v} == {"layer3", "step1"}
    assert (again.pair.value, again.note.value) == ("第1组", "语速可以慢一点")
    again.clear()
    assert not any(ObserverSheet(SCENARIO, board=board, learner="w").ticks.values())


def test_unknown_scenario_is_a_chinese_message_listing_the_choices():
    with pytest.raises(KitError) as err:
        ObserverSheet("no_such_scene")
    msg = str(err.value)
    assert "没有编号为 'no_such_scene' 的场景" in msg and "price_hike（" in msg
    assert err.value.user_facing is True
    with pytest.raises(KitError, match="不在本观察表上"):
        ObserverSheet(SCENARIO, learner="w").tick("action99")


# -- Poll ---------------------------------------------------------------------------------------

def test_poll_posts_the_answer_and_shows_the_class_counts(board):
    board.post("poll", {"question": "最难的是？", "answer": "B 情绪", "poll_id": "p1"}, learner="x")
    poll = Poll("最难的是？", ["A 政策", "B 情绪"], poll_id="p1", board=board, learner="me")
    poll.submit_button.click()
    assert "请先选一个答案" in poll.status.value and len(board.rows()) == 1
    poll.choice.value = "A 政策"
    poll.submit_button.click()
    assert board.rows()[-1].payload == {"question": "最难的是？", "answer": "A 政策", "poll_id": "p1"}
    assert 'data-answer="A 政策" data-votes="1"' in poll.counts_view.value
    assert "2 人投票" in poll.counts_view.value


def test_one_answer_per_learner_per_poll_counts_the_latest(board):
    poll = Poll("选哪个？", ["甲", "乙", "丙"], poll_id="p2", board=board, learner="me")
    for answer in ("甲", "乙"):
        poll.choice.value = answer
        poll.submit()
    board.post("poll", {"question": "选哪个？", "answer": "甲", "poll_id": "other"}, learner="me")
    assert poll.counts() == [("甲", 0), ("乙", 1), ("丙", 0)]
    assert ag.poll_counts(board.rows(), "other") == [("甲", 1)]


def test_poll_choice_and_result_come_back_in_a_fresh_widget(board):
    poll = Poll("选哪个？", ["甲", "乙"], board=board, learner="me")
    poll.choice.value = "乙"
    poll.submit()
    again = Poll("选哪个？", ["甲", "乙"], board=board, learner="me")
    assert again.choice.value == "乙" and 'data-votes="1"' in again.counts_view.value


def test_poll_rejects_bad_options_in_chinese():
    with pytest.raises(BoardError, match="“选项”"):
        Poll("问题", ["只有一个"])
    with pytest.raises(BoardError, match="“问题”不能为空"):
        Poll(" ", ["甲", "乙"])


# -- ActionPlan ---------------------------------------------------------------------------------

def test_action_plan_names_the_empty_field_and_keeps_the_text(board):
    plan = ActionPlan(board, learner="me", delay=0)
    plan._boxes["learned"].value = "先接住情绪"
    plan.submit_button.click()
    assert "“行动计划”不能为空" in plan.status.value and board.rows() == []
    assert plan.entries["learned"] == "先接住情绪"
    plan._boxes["action"].value = "接电话先说“您别急”"
    plan.submit_button.click()
    [post] = board.rows("plan")
    assert post.payload == {"learned": "先接住情绪", "action": "接电话先说“您别急”", "support": ""}
    assert "已提交到班级看板" in plan.status.value


def test_action_plan_drafts_come_back_in_a_fresh_widget(board):
    plan = ActionPlan(board, learner="me", delay=0)
    plan._boxes["support"].value = "需要答复口径卡片"
    assert ActionPlan(board, learner="me").entries["support"] == "需要答复口径卡片"


def test_a_sheet_sent_again_replaces_the_earlier_one_in_the_pair_score() -> None:
    from types import SimpleNamespace

    from course.board.aggregate import observer_scores

    def sheet(score: int, observer: str = "李四") -> SimpleNamespace:
        return SimpleNamespace(kind="observer", learner=observer, payload={
            "scenario": "rude_customer", "pair": "第2组", "observer": observer, "score": score, "max": 10})

    [one] = observer_scores([sheet(4), sheet(6)])  # corrected and sent again
    assert (one.sheets, one.mean_percent) == (1, 60.0)
    [two] = observer_scores([sheet(4), sheet(8, "王五")])  # two observers of the same pair
    assert (two.sheets, two.mean_percent) == (2, 60.0)


def test_station_score_sheet_totals_the_rubric_and_feeds_the_ranking(board):
    from course.handbook.model import load_day3
    from course.handbook.scoring import ranking, score_total
    from course.widgets.station_score import StationScoreSheet

    station = load_day3().stations[0]
    sheet = StationScoreSheet(station.id, board=board, learner="judge1")
    assert sheet.submit() is None and "队伍" in sheet.status.value
    sheet.team.value, sheet.judge.value = "第 3 队", "王评委"
    assert sheet.submit() is None and "还有评分项没有打分" in sheet.status.value
    assert "全部打完后显示总分" in sheet.total.value
    top = {c.id: max(n for n, _ in c.descriptors) for c in station.criteria}
    for cid, pick in sheet.levels.items():
        pick.value = top[cid] if cid != station.criteria[0].id else 2
    expected = score_total(station, sheet.scores())
    assert f"data-total='{expected:g}'" in sheet.total.value and expected < 100
    post = sheet.submit()
    assert post.kind == "station_score" and post.payload["total"] == expected
    sheet.levels[station.criteria[0].id].value = top[station.criteria[0].id]  # the judge corrects
    sheet.submit()
    [rank] = ranking([p.payload for p in board.rows("station_score")], load_day3())
    assert (rank.team, rank.total) == ("第 3 队", 100.0)
    again = StationScoreSheet(station.id, board=board, learner="judge1")  # drafts come back
    assert again.team.value == "第 3 队" and again.scores() == sheet.scores()


def test_unknown_station_is_a_chinese_message_listing_the_stations():
    from course.widgets.station_score import StationScoreSheet

    with pytest.raises(BoardError, match="可选的站点") as err:
        StationScoreSheet("厨房")
    assert "柜台" in str(err.value)
