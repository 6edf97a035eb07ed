"""Certificate (A4 landscape) and one-page learner summary (A4 portrait) as HTML for course.pdf."""

from __future__ import annotations

from html import escape
from typing import Any

from course.certificates.decide import Outcome
from course.certificates.records import Cohort

__all__ = ["CERT_CSS", "SUMMARY_CSS", "certificate_html", "summary_html"]

CERT_CSS = """
@page { size: A4 landscape; margin: 0; @bottom-center { content: none; } }
.cert { box-sizing: border-box; width: 297mm; height: 210mm; padding: 10mm; page-break-after: always; }
.cert:last-child { page-break-after: auto; }
.frame { box-sizing: border-box; height: 190mm; border: 3pt double #1f4e79; padding: 4mm; }
.inner { box-sizing: border-box; height: 100%; border: 0.8pt solid #6a8fb5; text-align: center;
         padding: 14mm 20mm 0; position: relative; }
.title { font-size: 40pt; letter-spacing: 18pt; color: #1f4e79; margin: 2mm 0 8mm; font-weight: bold; }
.name { font-size: 28pt; font-weight: bold; border-bottom: 1pt solid #333; display: inline-block;
        padding: 0 12mm 1mm; margin: 2mm 0 6mm; }
.body { font-size: 15pt; line-height: 1.9; }
.utility { font-size: 16pt; font-weight: bold; margin-top: 8mm; }
.date { font-size: 13pt; }
.verify { position: absolute; right: 8mm; bottom: 6mm; text-align: center; font-size: 9pt; color: #333; }
.verify .code { font-family: "DejaVu Sans Mono", monospace; font-size: 12pt; letter-spacing: 1pt; }
.learnerid { position: absolute; left: 8mm; bottom: 8mm; font-size: 9pt; color: #555; text-align: left; }
"""

SUMMARY_CSS = """
@page { @bottom-center { content: none; } }
.muted { color: #555; font-size: 9.5pt; } td.n, th.n { text-align: right; }
.pass { color: #1b6e20; font-weight: bold; } .fail { color: #a33; font-weight: bold; }
"""


def _qr_svg(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_inline(scale=4, border=2)


def certificate_html(outcome: Outcome, cohort: Cohort, *, utility: str, date: str, code: str) -> str:
    """One certificate page (a ``div.cert``); join several into one document for a combined PDF."""
    x = outcome.learner
    y, m, d = date.split("-")
    return (f'<div class="cert"><div class="frame"><div class="inner">'
            f'<div class="title">结业证书</div>'
            f'<div class="name">{escape(x.name)}</div>'
            f'<div class="body">参加了“水务客服投诉处理实训”，<br>'
            f'完成全部规定的学习和考核，成绩合格，准予结业。</div>'
            f'<div class="utility">{escape(utility)}</div>'
            f'<div class="date">{int(y)} 年 {int(m)} 月 {int(d)} 日</div>'
            f'<div class="learnerid">学号：{escape(x.id)}</div>'
            f'<div class="verify">{_qr_svg(code)}<br>证书核验码<br>'
            f'<span class="code">{escape(code)}</span></div>'
            f'</div></div></div>')


def certificates_document(pages: list[str]) -> str:
    """A whole HTML document of certificate pages."""
    return "<html><head><meta charset='utf-8'></head><body>" + "".join(pages) + "</body></html>"


def summary_html(outcome: Outcome, cohort: Cohort, *, utility: str, date: str,
                 gain: list[tuple[str, float, float]], rule_text: str,
                 titles: dict[str, str] | None = None) -> str:
    """A learner's one-page summary: scores vs cohort average, gain, stations, what they practised.

    ``titles`` maps assignment ids (and the course id) to their Chinese titles.
    """
    x = outcome.learner
    names = titles or {}
    rows = []
    for a in cohort.assignments:
        m, avg = cohort.max_scores[a], cohort.average(a)
        got = x.scores.get(a)
        rows.append(f"<tr><td>{escape(names.get(a, a))}</td><td class='n'>{'未提交' if got is None else f'{got:g}'}</td>"
                    f"<td class='n'>{m:g}</td>"
                    f"<td class='n'>{'—' if got is None or not m else f'{got / m:.0%}'}</td>"
                    f"<td class='n'>{'—' if avg is None else f'{avg:.1f}'}</td></tr>")
    parts = [f"<h1>学习情况小结：{escape(x.name)}</h1>",
             f"<p class='muted'>学号 {escape(x.id)}｜课程 {escape(names.get(cohort.course, '水务客服投诉处理实训'))}｜{escape(utility)}｜{date}</p>",
             "<h2>各项作业得分</h2><table><tr><th>作业</th><th class='n'>得分</th><th class='n'>满分</th>"
             "<th class='n'>得分率</th><th class='n'>全班平均分</th></tr>" + "".join(rows) + "</table>"]
    if gain:
        parts.append("<h2>课前→课后（每项技能掌握程度）</h2><table><tr><th>技能</th><th class='n'>课前</th>"
                     "<th class='n'>课后</th><th class='n'>变化</th></tr>" + "".join(
                         f"<tr><td>{escape(s)}</td><td class='n'>{p:.0%}</td><td class='n'>{q:.0%}</td>"
                         f"<td class='n'>{(q - p) * 100:+.0f} 个百分点</td></tr>" for s, p, q in gain)
                     + "</table>")
    parts.append("<h2>第三天考站成绩</h2>")
    if x.stations:
        parts.append("<table><tr><th>考站</th><th>小组</th><th>评委</th><th class='n'>总分</th></tr>" + "".join(
            f"<tr><td>{escape(s.station)}</td><td>{escape(s.team)}</td><td>{escape(s.judge)}</td>"
            f"<td class='n'>{s.total:g}</td></tr>" for s in x.stations) + "</table>")
    else:
        parts.append("<p>没有记录。" + ("".join(escape(n) for n in cohort.notes)) + "</p>")
    done = [a for a in cohort.assignments if a in x.scores]
    parts.append("<h2>练习过的内容</h2><p>已提交的作业：" + ("、".join(escape(names.get(a, a)) for a in done) or "（无）")
                 + "。</p><p class='muted'>练习次数：成绩册中没有记录，未列出。</p>")
    verdict = ("<span class='pass'>达到结业要求，已发结业证书。</span>" if outcome.passed else
               "<span class='fail'>暂未达到结业要求：</span>" + escape("；".join(outcome.reasons)) + "。")
    parts.append(f"<h2>结业</h2><p>{verdict}</p><p class='muted'>结业要求：{escape(rule_text)}。</p>")
    return "<html><head><meta charset='utf-8'></head><body>" + "".join(parts) + "</body></html>"


def gain_rows(gain: Any, learner: str) -> list[tuple[str, float, float]]:
    """(skill, pre, post) of one learner from a :class:`course.grading.gain.GainReport`."""
    if gain is None:
        return []
    return [(s.skill, *s.per_learner[learner]) for s in gain.skills if learner in s.per_learner]
