"""Numbers typed by learners, meter readings and billing periods, validated in Chinese.

>>> parse_number(" １８ ", "用水量（立方米）")
18.0
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

from course.tariff.units import Volume

if TYPE_CHECKING:  # numpy is imported lazily: `import course.tariff` stays cheap
    import numpy as np

__all__ = [
    "MAX_HOUSEHOLD_SIZE",
    "PERIODS",
    "TariffInputError",
    "as_float_array",
    "as_size_array",
    "fmt_num",
    "parse_fraction",
    "parse_household_size",
    "parse_number",
    "period_fraction",
    "usage_from_readings",
]

#: Chinese names of the billing periods a tariff's tier volumes can refer to.
PERIODS = {"annual": "年", "monthly": "月", "bimonthly": "两个月"}
MAX_HOUSEHOLD_SIZE = 20


class TariffInputError(ValueError):
    """Bad input to the tariff engine; the message is Chinese and names the field."""



def parse_number(
    value: Any,
    field_name: str,
    *,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    integer: bool = False,
) -> float:
    """Parse a number typed by a learner (str or number) or raise :class:`TariffInputError`.

    Full-width digits (``１２``) and surrounding spaces are accepted; booleans, NaN and infinity are
    not.

    >>> parse_number(" １８ ", "用水量（立方米）")
    18.0
    """
    allowed = _allowed_text(minimum, maximum, integer)
    shown = value
    if isinstance(value, bool) or value is None:
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”。")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        if text == "":
            raise TariffInputError(f"{field_name}不能为空：请填写{allowed}。")
        try:
            number = float(text)
        except ValueError:
            raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{value}”。") from None
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”。") from None
    if not math.isfinite(number):
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”（不是有限的数字）。")
    if integer and number != int(number):
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”（不是整数）。")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise TariffInputError(f"{field_name}必须是{allowed}，收到的是“{shown}”。")
    return float(number)


def _allowed_text(minimum: float | None, maximum: float | None, integer: bool) -> str:
    kind = "整数" if integer else "数字"
    fmt = fmt_num
    if minimum is not None and maximum is not None:
        return f"{fmt(minimum)} 到 {fmt(maximum)} 之间的{kind}"
    if minimum is not None:
        return f"不小于 {fmt(minimum)} 的{kind}"
    if maximum is not None:
        return f"不大于 {fmt(maximum)} 的{kind}"
    return f"一个{kind}"


def fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def parse_household_size(value: Any) -> int:
    return int(
        parse_number(value, "家庭人口（人）", minimum=1, maximum=MAX_HOUSEHOLD_SIZE, integer=True)
    )


def parse_fraction(value: Any) -> float:
    number = parse_number(value, "计费周期比例", minimum=0, maximum=1)
    if number == 0:
        raise TariffInputError("计费周期比例必须大于 0、不大于 1（1 表示完整的一个计费周期）。")
    return number


def usage_from_readings(previous: Any, current: Any, *, meter_digits: int | None = None) -> float:
    """Water used between two meter readings (m³), handling a meter that rolled over.

    A meter with ``meter_digits`` whole-m³ digits rolls over from ``10**digits - 1`` to 0. Without
    ``meter_digits`` a current reading below the previous one is an error (a misread or a meter
    change), never silently negative.

    >>> usage_from_readings(9990, 25, meter_digits=4)
    35 立方米
    """
    prev = parse_number(previous, "上次读数（立方米）")
    cur = parse_number(current, "本次读数（立方米）")
    if cur >= prev:
        return Volume(cur - prev)
    if meter_digits is None:
        raise TariffInputError(
            f"本次读数（{fmt_num(cur)}）小于上次读数（{fmt_num(prev)}）：请核对读数；"
            "如果水表走满一圈后归零，请填写水表位数（整数，3 到 8 位）。"
        )
    digits = int(parse_number(meter_digits, "水表位数", minimum=3, maximum=8, integer=True))
    capacity = 10**digits
    if prev >= capacity:
        raise TariffInputError(
            f"上次读数（{fmt_num(prev)}）超出了 {digits} 位水表的量程（0 到 {capacity - 1}）。"
        )
    return Volume(round(cur + capacity - prev, 6))


def period_fraction(start: date, end: date, period: str) -> float:
    """Share of a billing period covered by the days ``start`` (inclusive) to ``end`` (exclusive).

    Annual periods count days in the calendar year; monthly and bimonthly ones count each calendar
    month's share of its own days, so a bill from 1 to 16 February covers 15/28 of a month.

    >>> round(period_fraction(date(2025, 1, 1), date(2025, 7, 1), "annual"), 4)
    0.4959
    """
    if period not in PERIODS:
        raise TariffInputError(f"计费周期必须是 {'、'.join(PERIODS)} 之一，收到的是“{period}”。")
    if end <= start:
        raise TariffInputError("计费结束日期必须晚于开始日期。")
    if period == "annual":
        total = 0.0
        day = start
        while day < end:
            year_end = date(day.year + 1, 1, 1)
            chunk_end = min(end, year_end)
            total += (chunk_end - day).days / (year_end - date(day.year, 1, 1)).days
            day = chunk_end
        return total
    months = 0.0
    day = start
    while day < end:
        month_start = date(day.year, day.month, 1)
        next_month = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        chunk_end = min(end, next_month)
        months += (chunk_end - day).days / (next_month - month_start).days
        day = chunk_end
    return months if period == "monthly" else months / 2



def as_float_array(values: Any, field_name: str) -> np.ndarray:
    import numpy as np

    try:
        arr = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise TariffInputError(f"{field_name}必须是一组数字。") from None
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise TariffInputError(
            f"{field_name}第 {i + 1} 个值必须是不小于 0 的有限数字，收到的是“{arr[i]}”。"
        )
    return arr


def as_size_array(values: Any, n: int) -> np.ndarray:
    import numpy as np

    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TariffInputError("家庭人口（人）必须是一组 1 到 20 之间的整数。") from None
    arr = np.broadcast_to(arr, (n,)) if arr.ndim == 0 else arr.reshape(-1)
    if arr.shape[0] != n:
        raise TariffInputError(
            f"家庭人口（人）的个数（{arr.shape[0]}）必须与用水量的个数（{n}）相同。"
        )
    bad = ~np.isfinite(arr) | (arr < 1) | (arr > MAX_HOUSEHOLD_SIZE) | (arr != np.round(arr))
    if bad.any():
        i = int(np.argmax(bad))
        raise TariffInputError(
            f"家庭人口（人）第 {i + 1} 个值必须是 1 到 {MAX_HOUSEHOLD_SIZE} 之间的整数，"
            f"收到的是“{arr[i]}”。"
        )
    return arr
