"""The local rules as a learner reads them: one card per topic, in Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from course.local.model import Profile

__all__ = ["TOPICS", "Card", "card"]

TOPICS: dict[str, str] = {
    "meter_test": "验表",
    "late_fee": "违约金与缓缴",
    "household_increase": "人口多的家庭申请增加水量",
    "low_income_relief": "困难家庭照顾",
    "interruption": "停水告知",
    "maintenance": "设施维护分界与户表后漏水",
    "authority": "谁能办什么（权限）",
    "hotline": "服务热线",
}


@dataclass(frozen=True)
class Card:
    """A card of local rules (shown as Markdown in a notebook)."""

    title: str
    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown


_DIGITS = "零一二三四五六七八九十"


def _rate_text(rate: float) -> str:
    """0.001 → 千分之一, 0.0005 → 万分之五, otherwise a percentage."""
    for scale, name in ((1000, "千分之"), (10000, "万分之")):
        n = rate * scale
        if abs(n - round(n)) < 1e-9 and 1 <= round(n) <= 10:
            return name + _DIGITS[round(n)]
    return f"{rate * 100:g}%"


def _lines(p: Profile, topic: str) -> list[str]:
    t = p.text
    if topic == "meter_test":
        return [f"- **怎么申请**：{t('meter_test.apply')}",
                f"- **多久出结果**：{t('meter_test.days')} 个工作日内",
                f"- **误差在允许范围内**：{t('meter_test.within_tolerance')}"
                f"（检定费 {t('meter_test.fee')} 元）",
                f"- **误差超出允许范围**：{t('meter_test.outside_tolerance')}",
                f"- **依据**：{t('meter_test.basis')}"]
    if topic == "late_fee":
        rate = _rate_text(float(p.get("late_fee.rate_per_day")))
        deferral = ("登记期间不计违约金" if p.get("deferral.no_late_fee")
                    else "登记期间照常计违约金")
        return [f"- **从哪天起计**：缴费期满后第 {t('late_fee.grace_days')} 天起",
                f"- **怎么计**：每天按欠费额的{rate}；{t('late_fee.cap')}",
                f"- **谁能批准减免**：{t('late_fee.waiver')}",
                f"- **核查期间缓缴**：最长 {t('deferral.max_days')} 天，{deferral}",
                f"- **依据**：{t('late_fee.basis')}"]
    if topic == "household_increase":
        return [f"- **谁可以申请**：{t('household_increase.who')}",
                f"- **带什么**：{t('household_increase.materials')}",
                f"- **在哪里办**：{t('household_increase.where')}",
                f"- **多久审核完**：{t('household_increase.review_days')} 个工作日内",
                f"- **什么时候生效**：{t('household_increase.effective')}"]
    if topic == "low_income_relief":
        return [f"- **对象**：{t('low_income_relief.who')}",
                f"- **内容**：{t('low_income_relief.relief')}",
                f"- **怎么申请**：{t('low_income_relief.apply')}"]
    if topic == "interruption":
        steps = "\n".join(f"  {i}. {s}" for i, s in enumerate(p.get("interruption.arrears_steps"), 1))
        return [f"- **计划停水**：至少提前 {t('interruption.planned_notice_hours')} 小时通知，"
                f"{t('interruption.planned_notice_how')}",
                f"- **欠费中止供水的程序**：\n{steps}"]
    if topic == "maintenance":
        return [f"- **供水企业维护到哪里**：{t('maintenance.utility_part')}",
                f"- **二次供水设施**：{t('maintenance.secondary_supply')}",
                f"- **户表以后**：{t('maintenance.customer_part')}",
                f"- **户表后漏水的水费**：{t('maintenance.leak_relief')}",
                f"- **依据**：{t('maintenance.basis')}"]
    if topic == "authority":
        return [f"- **一线员工可以当场办**：{t('authority.counter_clerk')}",
                f"- **要由主管批准**：{t('authority.supervisor')}",
                f"- **谁都不能承诺**：{t('authority.never')}"]
    return [f"- **号码**：{t('hotline.number')}（{t('hotline.hours')}）"]  # hotline


def card(profile: Profile, *topics: str) -> Card:
    """A card with the profile's rules on the topics named (all topics when none is named)."""
    chosen = topics or tuple(TOPICS)
    for topic in chosen:
        if topic not in TOPICS:
            raise ValueError(f"没有“{topic}”这一项本地规定。可选：{'、'.join(TOPICS)}。")
    tag = "（虚构的教学示例）" if profile.fictional else ""
    title = f"本地规定：{profile.utility}{tag}"
    parts = [f"**{title}**"]
    for topic in chosen:
        parts.append(f"\n**{TOPICS[topic]}**\n\n" + "\n".join(_lines(profile, topic)))
    parts.append("\n*以上内容来自课程的本地档案；本单位的规定如有调整，请讲师更新档案。*")
    return Card(title=title, markdown="\n".join(parts))
