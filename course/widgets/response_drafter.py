"""ResponseDrafter: draft a reply to a complaint and get live feedback from the reply coach."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as w

from course import coach
from course.coach import Review
from course.coach.model import highlighted_html
from course.widgets._common import Debouncer
from course.widgets._drafts import DraftStore

__all__ = ["ResponseDrafter"]

_LEVEL_STYLE = {"good": ("√", "#2e7d32"), "warn": ("！", "#ef6c00"), "bad": ("×", "#c62828")}
_LEGEND = (
    '<span style="background:#e3f2fd;padding:0 4px">第1层 积极情感</span> '
    '<span style="background:#fff8e1;padding:0 4px">第2层 核心问题</span> '
    '<span style="background:#e8f5e9;padding:0 4px">第3层 积极情感</span> '
    '<mark style="background:#ffcdd2;color:#b71c1c">禁语</mark>'
)


class ResponseDrafter(w.VBox):
    """A complaint from the scenario bank, a text area and live coach feedback.

    Feedback (highlighted draft with the three layers, techniques, score, suggestions) follows
    the draft as the learner types, ``debounce`` seconds after the last keystroke (0: at once).
    The text area is never rebuilt, so nothing typed is lost; each scenario's draft is also saved
    next to the notebook and comes back when the cell runs again (after a kernel restart, the
    next day). "复制到答案" shows the draft as a line to paste into an answer cell, and
    :attr:`draft` returns it in code.
    """

    def __init__(self, scenario: str = "tier_price_hike", text: str = "", *,
                 debounce: float = 0.4, answer_name: str = "我的回复",
                 key: str = "ResponseDrafter") -> None:
        first = coach.get_scenario(scenario)  # unknown id: CoachError in Chinese
        self._store = DraftStore(key)
        self._drafts: dict[str, str] = dict(self._store.load().get("drafts") or {})
        if not text:
            text = self._drafts.get(first.id, "")
        self._answer_name = answer_name
        self._later = Debouncer(debounce, self._review_now)
        self._picker = w.Dropdown(
            options=[(f"{s.title}（{s.channel}）", s.id) for s in coach.list_scenarios()],
            value=first.id, layout=w.Layout(width="30em"))
        self._picker.add_class("course-drafter-scenario")
        self._complaint = w.HTML()
        self._complaint.add_class("course-drafter-complaint")
        self._text = w.Textarea(
            value=text if isinstance(text, str) else "",
            placeholder="在这里写给客户的回复：先理解客户的心情，再解决核心问题，最后表达关怀……",
            continuous_update=True, layout=w.Layout(width="100%", height="8em"))
        self._text.add_class("course-drafter-text")
        self._score = w.HTML()
        self._score.add_class("course-drafter-score")
        self._highlight = w.HTML()
        self._highlight.add_class("course-drafter-highlight")
        self._techniques = w.HTML()
        self._techniques.add_class("course-drafter-techniques")
        self._findings = w.HTML()
        self._findings.add_class("course-drafter-findings")
        self._copy_btn = w.Button(description="复制到答案", icon="copy",
                                  tooltip="生成一行可以粘贴到答案单元格的代码")
        self._copy_btn.add_class("course-drafter-copy")
        self._export = w.Textarea(layout=w.Layout(width="100%", height="4em", display="none"))
        self._export.add_class("course-drafter-export")
        self.review: Review = coach.review(self._text.value, scenario=first.id)

        self._picker.observe(self._on_scenario, names="value")
        self._text.observe(self._on_text, names="value")
        self._copy_btn.on_click(lambda _b: self._on_copy())
        super().__init__([
            w.HTML("<h4>回复教练</h4>"),
            w.HBox([w.HTML("<b>投诉场景</b>", layout=w.Layout(width="6em")), self._picker],
                   layout=w.Layout(align_items="center")),
            self._complaint,
            self._text,
            self._score,
            w.HTML(f'<div style="font-size:90%">{_LEGEND}</div>'),
            self._highlight,
            self._techniques,
            self._findings,
            self._copy_btn,
            self._export,
        ])
        self.add_class("course-response-drafter")
        self._render_complaint()
        self._render()

    # -- public -------------------------------------------------------------------------------

    @property
    def draft(self) -> str:
        """The text currently in the text area."""
        return self._text.value

    @property
    def scenario(self) -> str:
        """Id of the complaint scenario shown."""
        return self._picker.value

    def set_draft(self, text: str) -> None:
        """Replace the draft (as typing would) and refresh the feedback at once."""
        self._text.value = text if isinstance(text, str) else ""
        self.refresh()

    def refresh(self) -> None:
        """Review the current draft now (cancelling a pending debounced refresh)."""
        self._later.now()

    def _review_now(self) -> None:
        self.review = coach.review(self._text.value, scenario=self._picker.value)
        self._render()

    # -- events -------------------------------------------------------------------------------

    def _on_text(self, _change: Any) -> None:
        self._export.layout.display = "none"
        self._drafts[self._picker.value] = self._text.value
        self._store.save({"drafts": self._drafts})
        self._later()

    def _on_scenario(self, change: Any) -> None:
        self._render_complaint()
        saved = self._drafts.get(change["new"])
        if saved is not None and saved != self._text.value:
            self._text.value = saved  # each scenario keeps its own draft
        self.refresh()

    def _on_copy(self) -> None:
        self._export.value = f"{self._answer_name} = {self.draft!r}"
        self._export.layout.display = None

    # -- rendering ----------------------------------------------------------------------------

    def _render_complaint(self) -> None:
        s = coach.get_scenario(self._picker.value)
        self._complaint.value = (
            '<div style="background:#fff3e0;border-radius:8px;padding:6px 10px;margin:4px 0">'
            f"<b>客户（{escape(s.channel)}）</b>：{escape(s.complaint)}</div>"
            f'<p style="color:#666;font-size:90%">核心问题：{escape(s.core_issue)}</p>')

    def _render(self) -> None:
        r = self.review
        sandwich = "成立 √" if r.sandwich else "不成立 ×"
        core = {True: "已回应 √", False: "未回应 ×", None: "—"}[r.addresses_core]
        step = "有 √" if r.next_step else "没有 ×"
        gaming = (f'<br><span style="color:#c62828">× 疑似凑字数：{escape("；".join(r.gaming))}'
                  "</span>" if r.gaming else "")
        self._score.value = (
            f'<p data-score="{r.score}" data-sandwich="{str(r.sandwich).lower()}" '
            f'data-forbidden="{len(r.forbidden)}" data-next-step="{str(r.next_step).lower()}" '
            f'data-gaming="{str(bool(r.gaming)).lower()}"><b>得分：{r.score}/100</b>　'
            f"三层结构：{sandwich}　核心问题：{core}　具体下一步：{step}　"
            f"禁语：{len(r.forbidden)} 处{gaming}</p>")
        body = highlighted_html(r) if r.text.strip() else '<span style="color:#999">（还没有内容）</span>'
        self._highlight.value = (
            f'<div style="border:1px solid #ddd;padding:6px;line-height:1.8">{body}</div>')
        self._techniques.value = (
            "<p><b>识别到的技巧：</b>"
            + ("、".join(f'<span class="course-drafter-technique">{escape(t)}</span>'
                        for t in r.techniques) or "暂无")
            + "</p>")
        items = []
        for f in sorted(r.findings, key=lambda f: ("bad", "warn", "good").index(f.level)):
            mark, colour = _LEVEL_STYLE[f.level]
            where = f"「{escape(f.excerpt)}」" if f.excerpt else ""
            tip = f"<br><i>建议：{escape(f.suggestion)}</i>" if f.suggestion and f.level != "good" else ""
            items.append(f'<li class="course-drafter-finding-{f.level}" style="color:{colour}">'
                         f"{mark} <b>{escape(f.name)}</b>{where}：{escape(f.message)}{tip}</li>")
        self._findings.value = f'<ul style="padding-left:1.2em">{"".join(items)}</ul>'
