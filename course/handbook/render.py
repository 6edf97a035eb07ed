"""The trainer's handbook as HTML (one page per half-day, day-3 pages, scoring sheets) and PDF."""

from __future__ import annotations

from html import escape
from pathlib import Path

from course.handbook.model import Day3, HalfDay, Station, load_day3, load_runsheets
from course.handbook.scoring import rotation, round_times

__all__ = ["CSS", "build", "handbook_html"]

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
            cell += f"<div>{_e(b.instructions)}</div>"
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
            "<h2>计分与颁奖</h2><p>评委每轮结束后在评分表上打分并录入班级看板（station_score）；"
            "每站取各评委的平均分，五站相加为全队总分，用 <b>course handbook ranking</b> 查看总排名。</p>"
            f"<ul>{awards}</ul></section>")


def _station_page(st: Station, levels: dict[int, str]) -> str:
    from course._data import load_yaml

    cases = [f"{x}：{load_yaml(f'scenarios/{x}.yaml').get('title', '')}" for x in st.scenarios]
    cases += [f"{x}（事件）：{load_yaml(f'incidents/{x}.yaml').get('title', '')}" for x in st.incidents]
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
            "<p class='muted'>打分后请在班级看板录入本表（station_score）。</p></section>")


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
