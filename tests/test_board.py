"""The class board: store, validation, two writers, aggregation, tagging, cases, CLI, widgets."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from course.board import BoardError, cases, cases_html, open_board
from course.board import aggregate as ag
from course.cli import main


@pytest.fixture
def root(tmp_path, monkeypatch):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    monkeypatch.delenv("COURSE_BOARD_URL", raising=False)
    monkeypatch.delenv("COURSE_DRAFTS_DIR", raising=False)
    return tmp_path


def _observer(pair, score, mx=10):
    return {"scenario": "阶梯水价", "pair": pair, "observer": "王", "ticks": {"倾听": True},
            "score": score, "max": mx}


def test_post_and_read_back_from_a_new_connection(root):
    board = open_board(root)
    post = board.post("problem", {"text": "  用户说阶梯水价就是变相涨价！ "}, learner="zhang")
    assert post.id == 1 and post.learner == "zhang" and post.chapter is None
    assert (root / ".course" / "board.sqlite").is_file()
    again = open_board(root).rows()
    assert [(p.kind, p.learner, p.payload["text"]) for p in again] == [
        ("problem", "zhang", "用户说阶梯水价就是变相涨价！")]
    assert again[0].created.tzinfo is not None


def test_learner_defaults_to_learner_id(root, monkeypatch):
    monkeypatch.setenv("COURSE_LEARNER", "li")
    from course.itembank import learner

    monkeypatch.setattr(learner, "learner_id", lambda: "li")
    assert open_board(root).post("poll", {"question": "Q1", "answer": "B"}).learner == "li"


def test_env_url_overrides_the_root(root, tmp_path_factory, monkeypatch):
    other = tmp_path_factory.mktemp("elsewhere") / "b.sqlite"
    monkeypatch.setenv("COURSE_BOARD_URL", f"sqlite:///{other}")
    open_board(root).post("problem", {"text": "水表走得快"}, learner="a")
    assert other.is_file() and not (root / ".course" / "board.sqlite").exists()


@pytest.mark.parametrize(("kind", "payload", "words"), [
    ("complaint", {"text": "x"}, ["“类型”只能是", "problem（难题）"]),
    ("problem", {"text": "   "}, ["“难题”不能为空"]),
    ("problem", {"text": 3}, ["“难题”必须是文字"]),
    ("problem", {"text": "长" * 501}, ["“难题”太长", "最多 500 字"]),
    ("problem", ["x"], ["“内容”必须是一个字典"]),
    ("observer", _observer("A组", 11), ["“得分”（11）不能超过“满分”（10）"]),
    ("observer", {**_observer("A组", 3), "ticks": []}, ["“勾选项”"]),
    ("station_score", {"station": "1", "team": "红队", "judge": "李", "scores": {"倾听": "高"}},
     ["评分项“倾听”", "必须是数字"]),
    ("poll", {"question": "Q1"}, ["“答案”必须是文字"]),
    ("station_score", {"station": "1", "team": "红队", "judge": "李", "scores": {"倾听": 3},
                       "members": "zhang"}, ["“队员”（members）必须是非空列表"]),
])
def test_bad_input_is_refused_in_chinese(root, kind, payload, words):
    board = open_board(root)
    with pytest.raises(BoardError) as err:
        board.post(kind, payload, learner="a")
    assert all(w in str(err.value) for w in words), str(err.value)
    assert BoardError.user_facing is True and isinstance(err.value, ValueError)
    assert board.rows() == []


def test_tagging_files_a_problem_and_cases_show_it(root):
    board = open_board(root)
    p1 = board.post("problem", {"text": "用户说阶梯水价就是变相涨价"}, learner="a")
    board.post("problem", {"text": "用户威胁要找媒体曝光"}, learner="b")
    tagged = board.tag(p1.id, "1")
    assert tagged.chapter == "01" and tagged.payload == p1.payload
    assert [p.payload["text"] for p in cases("01", root)] == ["用户说阶梯水价就是变相涨价"]
    assert cases("04", root) == []
    html = cases_html("01", root)
    assert "学员提出的难题" in html and "变相涨价" in html and "媒体" not in html
    assert "还没有" in cases_html("04", root)
    with pytest.raises(BoardError, match="没有编号为 99"):
        board.tag(99, "02")
    with pytest.raises(BoardError, match="“章节”只能是 01 阶梯水价"):
        board.tag(p1.id, "07")
    assert [p.chapter for p in board.rows("problem")] == ["01", None]


_WRITER = """
import sys
from course.board import open_board
b = open_board(sys.argv[1])
for i in range(25):
    b.post("problem", {"text": f"{sys.argv[2]}-{i}"}, learner=sys.argv[2])
"""


def test_two_processes_write_the_same_database(root):
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(root), who]) for who in ("p1", "p2")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    rows = open_board(root).rows("problem")
    assert len(rows) == 50 and len({p.id for p in rows}) == 50
    assert sorted(p.payload["text"] for p in rows if p.learner == "p2") == sorted(
        f"p2-{i}" for i in range(25))


def test_aggregation(root):
    b = open_board(root)
    for text in ("用户说阶梯水价就是变相涨价", "阶梯水价怎么解释用户都不听", "新水表走得快"):
        b.post("problem", {"text": text}, learner="a")
    b.tag(3, "02")
    b.post("observer", _observer("A组", 8), learner="o1")
    b.post("observer", _observer("A组", 6), learner="o2")
    b.post("observer", _observer("B组", 5, 5), learner="o3")
    b.post("poll", {"question": "最难的是？", "answer": "A"}, learner="x")
    b.post("poll", {"question": "最难的是？", "answer": "B"}, learner="x")  # changed mind
    b.post("poll", {"question": "最难的是？", "answer": "B"}, learner="y")
    for team, station, total in (("红队", "1", 8), ("红队", "1", 9), ("红队", "2", 7), ("蓝队", "1", 16)):
        b.post("station_score", {"station": station, "team": team, "judge": "李",
                                 "scores": {"倾听": total}, "total": total}, learner="j")
    posts = b.rows()
    assert ag.counts(posts) == {"problem": 3, "observer": 3, "poll": 3, "plan": 0, "station_score": 4}
    words = dict(ag.word_list(posts, top=5))
    # the segmenter may keep 阶梯水价 whole (the coach adds course terms to its dictionary)
    assert sum(n for w, n in words.items() if "阶梯" in w) == 2
    assert sum(n for w, n in words.items() if "水价" in w) == 2
    assert "用户" not in words and "就是" not in words
    groups = ag.by_chapter(posts)
    assert list(groups) == [*(f"{k} {v}" for k, v in ag.CHAPTERS.items()), ag.UNFILED]
    assert [p.id for p in groups["02 巧妙应答"]] == [3] and [p.id for p in groups["待归类"]] == [1, 2]
    pairs = {s.pair: s for s in ag.observer_scores(posts)}
    assert pairs["A组"].sheets == 2 and pairs["A组"].mean_percent == 70.0
    assert pairs["B组"].mean_percent == 100.0
    assert ag.poll_results(posts) == {"最难的是？": [("B", 2)]}
    ranking = ag.station_ranking(posts)
    assert [(r.rank, r.team, r.total) for r in ranking] == [(1, "红队", 16.0), (1, "蓝队", 16.0)]
    assert [dict(p.payload)["total"] for p in b.rows("station_score")] == [8, 9, 7, 16]
    b.post("station_score", {"station": "2", "team": "蓝队", "judge": "李", "scores": {"倾听": 2, "解释": 3},
                             "members": [" zhang ", "li"]}, learner="j")
    last = b.rows("station_score")[-1].payload
    assert last["total"] == 5 and last["members"] == ["zhang", "li"]


def test_cli_show_tag_export(root, capsys):
    b = open_board(root)
    b.post("problem", {"text": "用户威胁要找媒体曝光"}, learner="wang")
    assert main(["--root", str(root), "board"]) == 0
    out = capsys.readouterr().out
    assert "难题：1" in out and "待归类（1 条）" in out and "[1] 用户威胁要找媒体曝光 —— wang" in out
    assert "媒体" in out.split("难题高频词：")[1].split("难题（按章节）")[0]
    assert main(["--root", str(root), "board", "tag", "1", "04"]) == 0
    assert "已把难题 [1] 归入第 04 章" in capsys.readouterr().out
    assert b.rows()[0].chapter == "04"
    assert main(["--root", str(root), "board", "tag", "1", "9"]) == 2
    assert "错误：“章节”只能是" in capsys.readouterr().err
    assert main(["--root", str(root), "board", "tag", "x"]) == 2
    assert "用法：course board tag 编号 章节" in capsys.readouterr().err
    out_csv = root / "out.csv"
    assert main(["--root", str(root), "board", "export", "-o", str(out_csv)]) == 0
    rows = list(csv.reader(out_csv.open(encoding="utf-8-sig")))
    assert rows[0] == ["编号", "类型", "学员", "章节", "时间", "内容"]
    assert rows[1][:4] == ["1", "problem", "wang", "04"] and "媒体曝光" in rows[1][5]


def test_problem_box_keeps_the_draft_until_sent(root, tmp_path, monkeypatch):
    from course.widgets.board import ProblemBox

    monkeypatch.setenv("COURSE_DRAFTS_DIR", str(tmp_path / "drafts"))
    box = ProblemBox(root=root, learner="zhao", delay=0)
    assert not (root / ".course").exists()  # showing the box creates no database
    box.text.value = "用户说：“你们凭什么多收钱？”"
    assert ProblemBox(root=root, learner="zhao", delay=0).text.value == "用户说：“你们凭什么多收钱？”"
    box.send()
    assert "已发送" in box.status.value and box.text.value == ""
    again = ProblemBox(root=root, learner="zhao", delay=0)
    assert again.text.value == "" and "你们凭什么多收钱" in again.sent.value
    assert "（1 条）" in again.sent.value
    box.send()
    assert "“难题”不能为空" in box.status.value


def test_board_view_shows_and_tags(root):
    from course.widgets.board import BoardView

    b = open_board(root)
    b.post("problem", {"text": "停水通知没贴到楼道，用户很生气"}, learner="a")
    view = BoardView(root=root, auto=False)
    assert "停水通知" in view.view.value and "待归类（1）" in view.view.value
    b.post("problem", {"text": "水质发黄"}, learner="b")
    view.refresh_button.click()
    assert "水质发黄" in view.view.value and [v for _, v in view.problem.options] == [1, 2]
    view.problem.value, view.chapter.value = 1, "04"
    view.tag_button.click()
    assert "已把难题 [1] 归入第 04 章" in view.status.value
    assert "04 危机公关（1）" in view.view.value and b.rows()[0].chapter == "04"
