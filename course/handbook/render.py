"""The trainer's handbook as HTML (one page per half-day, day-3 pages, scoring sheets) and PDF."""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path

from course.handbook.model import Day3, HalfDay, HandbookError, Station, load_day3, load_runsheets
from course.handbook.scoring import rotation, round_times

__all__ = ["CSS", "build", "day3_html", "handbook_html", "ranking_html"]

CSS = """
.cover { text-align: center; padding-top: 60mm; } .cover h1 { font-size: 24pt; }
.muted { color: #555; font-size: 9.5pt; }
.tag { display: inline-block; padding: 0 4pt; border: 0.6pt solid #336; border-radius: 2pt;
       font-size: 9pt; color: #223; background: #eef3f8; white-space: nowrap; }
td.time { white-space: nowrap; width: 30mm; } td.kind { width: 16mm; }
.clip { border-left: 2pt solid #c60; padding-left: 4pt; margin-top: 3pt; }
.sheet td { height: 14mm; } .sheet td.desc { font-size: 8.5pt; }
.fill { border-bottom: 0.6pt solid #333; display: inline-block; min-width: 40mm; }
ul { margin: 2pt 0 2pt 14pt; padding: 0; }
table.compact td, table.compact th { font-size: 8.6pt; line-height: 1.32; padding: 2pt 4pt; }
table.compact ul { margin: 0 0 0 12pt; } h1 + p.muted { margin-top: 0; }
"""


def _e(text: object) -> str:
    return escape(str(text))


def _half_page(h: HalfDay) -> str:
    rows = []
    for b in h.blocks:
        cell = f"<b>{_e(b.title)}</b>"
        if b.notebook:
            cell += f"<div class='muted'>投屏：{_e(b.notebook)} › {_e(b.section)}</div>"
        if b.instructions:
            cell += f"<div>{_e(_titled(b.instructions))}</div>"
        if b.clip:
            qs = "".join(f"<li>{_e(q)}</li>" for q in b.clip.discuss)
            cell += f"<div class='clip'>{_e(b.clip.slot)}<br>看后讨论：<ul>{qs}</ul></div>"
        if b.debrief:
            qs = "".join(f"<li>{_e(q)}</li>" for q in b.debrief)
            cell += f"<div>复盘问题：<ul>{qs}</ul></div>"
        rows.append(f"<tr><td class='time'>{b.start}–{b.end}<br><span class='muted'>{b.minutes} 分钟</span></td>"
                    f"<td class='kind'><span class='tag'>{_e(b.type)}</span></td><td>{cell}</td></tr>")
    objectives = "".join(f"<li>{_e(o)}</li>" for o in h.objectives)
    end = h.blocks[-1].end if h.blocks else h.start
    return (f"<section class='page'><h1>{_e(h.title)}</h1>"
            f"<p class='muted'>{h.start}–{end}，共 {h.minutes} 分钟</p><h2>学习目标</h2><ul>{objectives}</ul>"
            "<h2>流程表</h2><table class='compact'><tr><th>时间</th><th>活动</th><th>内容、做法与复盘问题</th></tr>"
            + "".join(rows) + "</table></section>")


def _rotation_page(day3: Day3, teams: int) -> str:
    names = [s.name for s in day3.stations]
    rounds = rotation(teams, names)
    times = round_times(day3, len(rounds))
    head = "".join(f"<th>第 {t} 队</th>" for t in range(1, teams + 1))
    body = "".join(
        f"<tr><td class='time'>第 {r.number} 轮<br><span class='muted'>{a}–{b}</span></td>"
        + "".join(f"<td>{_e(s)}</td>" for s in r.slots) + "</tr>"
        for r, (a, b) in zip(rounds, times, strict=True)
    )
    awards = "".join(f"<li>{_e(a)}</li>" for a in day3.awards)
    planned = sum(n for _, n, _, _ in day3.sessions)
    note = (f"<p><b>注意：</b>{teams} 队需要 {len(rounds)} 轮，超过当日安排的 {planned} 轮；"
            "没有站点的队在该轮“观摩”。请增设站点、合并队伍或压缩每轮时间。</p>") if len(rounds) > planned else ""
    return (f"<section class='page'><h1>第三天：轮站模拟 轮站表</h1>"
            f"<p>共 {teams} 队、{len(names)} 个站，每轮 {day3.round_minutes} 分钟（含换站与录分）。"
            "每队每站恰好一次；同一轮里每个站只有一队。</p>"
            f"<table><tr><th>轮次</th>{head}</tr>{body}</table>{note}"
            "<h2>计分与颁奖</h2><p>评委每轮结束后在评分表上打分，并在笔记本里用电子评分表 <code>StationScoreSheet(&quot;柜台&quot;)</code>（讲师看板笔记本里有）录入班级看板；"
            "每站取各评委的平均分，五站相加为全队总分，用 <b>course handbook ranking</b> 查看总排名。</p>"
            f"<ul>{awards}</ul></section>")


_CODE = re.compile(r" ?(（)?\b([a-z]+(?:_[a-z]+)+)\b(）)? ?")


@cache
def _code_titles() -> dict[str, str]:
    """Role-play scenario and incident id → title (read once)."""
    from course._data import list_yaml, load_yaml

    titles = {x: load_yaml(f"scenarios/{x}.yaml").get("title") for x in list_yaml("scenarios")}
    titles.update({x: load_yaml(f"incidents/{x}.yaml").get("title") for x in list_yaml("incidents")})
    return titles


def _titled(text: str) -> str:
    """``text`` with role-play scenario and incident codes replaced by their titles (learners and
    trainers pick scenarios by title); a code in brackets right after its own title is dropped."""
    titles = _code_titles()

    def swap(m: re.Match) -> str:
        title = titles.get(m.group(2))
        if not title:
            return m.group(0)
        if m.group(1) and m.group(3):
            return "" if title in text[:m.start()] else f"（「{title}」）"
        return (m.group(1) or "") + f"「{title}」" + (m.group(3) or "")

    return _CODE.sub(swap, text)


def _case_titles(st: Station) -> list[str]:
    """The station's scenario cards by title (never the raw scenario id)."""
    from course._data import load_yaml

    cases = [str(load_yaml(f"scenarios/{x}.yaml").get("title") or "未命名场景") for x in st.scenarios]
    cases += [f"（突发事件）{load_yaml(f'incidents/{x}.yaml').get('title') or '未命名事件'}"
              for x in st.incidents]
    return cases


def day3_html(teams: int = 5) -> str:
    """Learner view of day 3: stations (scenarios, roles, timing, rubric), rotation and scoring."""
    day3 = load_day3()
    levels = dict(day3.levels)
    lv = "、".join(f"{s} = {_e(n)}" for s, n in sorted(levels.items()))
    rows = []
    for st in day3.stations:
        cases = "".join(f"<li>{_e(c)}</li>" for c in _case_titles(st))
        roles = "".join(f"<li><b>{_e(r)}</b>：{_e(w)}</li>" for r, w in st.roles)
        timing = "；".join(f"{_e(s)} {m} 分钟" for s, m in st.timing)
        crit = "".join(f"<li>{_e(c.name)}（权重 {c.weight}%）</li>" for c in st.criteria)
        rows.append(f"<tr><td><b>{_e(st.name)}</b><br>{_e(st.place)}</td><td>{_e(st.task)}<ul>{cases}</ul></td>"
                    f"<td><ul>{roles}</ul></td><td>共 {st.minutes} 分钟：{timing}</td><td><ul>{crit}</ul></td></tr>")
    names = [s.name for s in day3.stations]
    rounds = rotation(teams, names)
    head = "".join(f"<th>第 {t} 队</th>" for t in range(1, teams + 1))
    body = "".join(f"<tr><td>第 {r.number} 轮</td>" + "".join(f"<td>{_e(x)}</td>" for x in r.slots) + "</tr>"
                   for r in rounds)
    style = ("<style>.course-day3 table{border-collapse:collapse;width:100%;font-size:0.95em}"
             ".course-day3 td,.course-day3 th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;"
             "text-align:left}.course-day3 ul{margin:0.2em 0;padding-left:1.2em}</style>")
    return (f"<div class='course-day3'>{style}<h3>五个站点</h3>"
            "<table><colgroup><col style='width:14%'><col style='width:30%'><col style='width:24%'>"
            "<col style='width:16%'><col style='width:16%'></colgroup>"
            "<tr><th>站点</th><th>任务与场景</th><th>角色</th><th>时间</th><th>评分项</th></tr>"
            + "".join(rows) + "</table>"
            f"<h3>怎样轮站（以 {teams} 队为例）</h3><p>每轮 {day3.round_minutes} 分钟（含换站与录分），"
            "每队每站恰好去一次，同一轮里每个站只有一队。</p>"
            f"<table><tr><th>轮次</th>{head}</tr>{body}</table>"
            f"<h3>分数去哪里</h3><p>评委按评分项给每项打等级（{lv}），按权重折算成 100 分，"
            "录入班级看板；每站取各评委的平均分，五站相加就是全队总分。</p></div>")


def ranking_html(root: object = None) -> str:
    """The day-3 ranking from the board's station scores, or a friendly line when there are none."""
    from course.board import BoardError, open_board
    from course.handbook.scoring import ranking

    try:
        names = {key: st.name for st in load_day3().stations for key in (st.id, st.name)}
        records = [dict(p.payload) for p in open_board(root).rows("station_score")]
        for rec in records:  # a station given by id is shown by its Chinese name
            rec["station"] = names.get(str(rec.get("station", "")).strip(), rec.get("station"))
        ranks = ranking(records)
    except (BoardError, HandbookError) as exc:
        return f"<div class='course-day3-rank'><b>第三天排名</b>：{_e(exc)}</div>"
    if not ranks:
        return "<div class='course-day3-rank'><b>第三天排名</b>：班级看板上还没有评委录入的站点分数。</div>"
    stations = sorted({s for r in ranks for s, _ in r.stations})
    head = "".join(f"<th>{_e(s)}</th>" for s in stations)
    body = "".join(
        f"<tr><td>第 {r.place} 名</td><td>{_e(r.team)}</td>"
        + "".join(f"<td>{dict(r.stations).get(s, '—')}</td>" for s in stations)
        + f"<td><b>{r.total}</b></td></tr>" for r in ranks)
    return (f"<div class='course-day3-rank'><b>第三天排名</b><table><tr><th>名次</th><th>队伍</th>{head}"
            f"<th>总分</th></tr>{body}</table></div>")


def _station_page(st: Station, levels: dict[int, str]) -> str:
    cases = _case_titles(st)
    roles = "".join(f"<li><b>{_e(r)}</b>：{_e(w)}</li>" for r, w in st.roles)
    timing = "；".join(f"{_e(s)} {m} 分钟" for s, m in st.timing)
    head = "".join(f"<th>{_e(levels.get(s, s))}（{s}）</th>" for s in sorted(levels))
    crit = "".join(
        f"<tr><td><b>{_e(c.name)}</b><br><span class='muted'>权重 {c.weight}%</span></td>"
        + "".join(f"<td class='desc'>{_e(d)}</td>" for _, d in c.descriptors) + "</tr>"
        for c in st.criteria
    )
    return (f"<section class='page'><h1>第三天站点：{_e(st.name)}</h1>"
            f"<p><b>场地：</b>{_e(st.place)}</p><p><b>任务：</b>{_e(st.task)}</p>"
            "<h2>场景卡</h2><ul>" + "".join(f"<li>{_e(c)}</li>" for c in cases) + "</ul>"
            f"<h2>角色</h2><ul>{roles}</ul>"
            f"<h2>时间安排（共 {st.minutes} 分钟）</h2><p>{timing}</p>"
            f"<h2>评委评分标准</h2><table class='compact'><tr><th>评分项</th>{head}</tr>{crit}</table></section>")


def _sheet_page(st: Station, levels: dict[int, str]) -> str:
    top = max(levels)
    rows = "".join(
        f"<tr><td><b>{_e(c.name)}</b><br><span class='muted'>权重 {c.weight}%</span></td>"
        + "".join(f"<td><span class='box'></span>{s} {_e(levels[s])}</td>" for s in sorted(levels))
        + "<td></td></tr>"
        for c in st.criteria
    )
    lv = "".join(f"<th>{s}</th>" for s in sorted(levels))
    return (f"<section class='page'><h1>评分表：{_e(st.name)}站</h1>"
            "<p>队名：<span class='fill'></span>　轮次：<span class='fill'></span>　"
            "评委：<span class='fill'></span></p>"
            f"<table class='sheet'><tr><th>评分项</th>{lv}<th>备注</th></tr>{rows}</table>"
            f"<p>总分 = Σ 权重 × 等级 ÷ {top}（满分 100）：<span class='fill'></span> 分</p>"
            "<p>最好的一句话：<span class='fill' style='min-width:140mm'></span></p>"
            "<p>最需要改进的一点：<span class='fill' style='min-width:130mm'></span></p>"
            "<p class='muted'>打分后请用电子评分表 StationScoreSheet 把本表录入班级看板（讲师看板笔记本）。</p></section>")


def handbook_html(teams: int = 5) -> str:
    """The whole handbook as one HTML document (A4 pages)."""
    halves, day3 = load_runsheets(), load_day3()
    levels = dict(day3.levels)
    toc = "".join(f"<li>{_e(h.title)}</li>" for h in halves)
    parts = [f"<section class='page cover'><h1>水务客服投诉处理实训</h1><h2>讲师手册</h2>"
             f"<p>三天内训流程表、第三天轮站模拟与评分表</p><ul style='text-align:left'>{toc}</ul></section>"]
    parts += [_half_page(h) for h in halves]
    parts.append(_rotation_page(day3, teams))
    parts += [_station_page(s, levels) for s in day3.stations]
    parts += [_sheet_page(s, levels) for s in day3.stations]
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>讲师手册</title>"
            f"<style>{CSS}</style></head><body>" + "".join(parts) + "</body></html>")


def build(out_dir: Path, teams: int = 5) -> tuple[Path, Path]:
    """Write ``handbook.html`` and ``handbook.pdf`` into ``out_dir``; returns both paths."""
    from course.pdf import BASE_CSS, write_pdf

    out_dir.mkdir(parents=True, exist_ok=True)
    html = handbook_html(teams)
    html_path = out_dir / "handbook.html"
    html_path.write_text(html.replace("<style>", f"<style>{BASE_CSS}", 1), encoding="utf-8")
    pdf_path = write_pdf(html, out_dir / "handbook.pdf")
    return html_path, pdf_path
