"""BillCalculator: a live tiered water bill for a chosen city, household and usage."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from course import tariff as tariff_engine
from course.plotting import figure_png
from course.tariff import Bill, TariffInputError
from course.tariff.charts import plot_bill, plot_staircase
from course.widgets._common import Debouncer, FieldRow, png_image, status_html
from course.widgets._drafts import DraftStore

__all__ = ["BillCalculator"]

_MODES = (("直接填写用水量", "usage"), ("按水表读数计算", "readings"))


class BillCalculator(w.VBox):
    """City, household size, usage (or two meter readings) and period share → bill, table, charts.

    The bill follows what is typed (``debounce`` seconds after the last keystroke). Invalid
    fields show a Chinese message next to them; everything typed stays as typed and the last
    valid bill remains visible, marked as out of date. The fields are saved next to the
    notebook and come back when the cell runs again.
    """

    def __init__(
        self,
        city: str | None = None,
        usage: float = 200,
        household_size: int = 3,
        *,
        charts: bool = True,
        debounce: float = 0.4,
        key: str = "BillCalculator",
    ) -> None:
        if city is None:  # the utility's own tariff (its local profile)
            from course import local

            city = local.current().tariff_id
        options = [(tariff_engine.load(c).name, c) for c in tariff_engine.cities()]
        self._charts = charts
        self._store = DraftStore(key)
        saved = self._store.load()
        cities = {c for _, c in options}
        self._city = w.Dropdown(options=options,
                                value=saved.get("city") if saved.get("city") in cities else city)
        self._size = w.Text(str(saved.get("size", household_size)))
        self._mode = w.ToggleButtons(
            options=_MODES, value=saved.get("mode") if saved.get("mode") in ("usage", "readings")
            else "usage")
        self._usage = w.Text(str(saved.get("usage", f"{usage:g}")))
        self._previous = w.Text(str(saved.get("previous", "")), placeholder="如 1234")
        self._current = w.Text(str(saved.get("current", "")), placeholder="如 1276")
        self._digits = w.Text(str(saved.get("digits", "")), placeholder="可不填")
        self._fraction = w.Text(str(saved.get("fraction", "1")))
        self._later = Debouncer(debounce, self._recompute)
        self._rows = {
            "city": FieldRow("城市", self._city, "course-bill-city"),
            "size": FieldRow("家庭人口（人）", self._size, "course-bill-size"),
            "mode": FieldRow("用水量来源", self._mode, "course-bill-mode"),
            "usage": FieldRow("用水量（立方米）", self._usage, "course-bill-usage"),
            "previous": FieldRow("上次读数", self._previous, "course-bill-previous"),
            "current": FieldRow("本次读数", self._current, "course-bill-current"),
            "digits": FieldRow("水表位数", self._digits, "course-bill-digits",
                               "读数比上次小、水表走满一圈归零时填写"),
            "fraction": FieldRow("计费周期比例", self._fraction, "course-bill-fraction",
                                 "1 = 完整周期；只覆盖半个周期填 0.5"),
        }
        self._info = w.HTML()
        self._status = w.HTML()
        self._table = w.HTML()
        self._table.add_class("course-bill-table")
        self._chart_box = w.HBox(layout=w.Layout(flex_flow="row wrap", width="100%",
                                                 justify_content="space-between"))
        self.bill: Bill | None = None
        self.errors: dict[str, str] = {}
        for control in (self._city, self._mode):
            control.observe(self._update, names="value")
        for control in (self._size, self._usage, self._previous, self._current, self._digits,
                        self._fraction):
            control.observe(self._typed, names="value")
        super().__init__(
            [
                w.HTML("<h4>阶梯水费计算器</h4>"),
                *self._rows.values(),
                self._info,
                self._status,
                self._table,
                self._chart_box,
            ]
        )
        self.add_class("course-bill-calculator")
        self._update()

    # -- events -------------------------------------------------------------------------------

    def _typed(self, _change: Any = None) -> None:
        self._save()
        self._later()

    def _save(self) -> None:
        self._store.save({"city": self._city.value, "size": self._size.value,
                          "mode": self._mode.value, "usage": self._usage.value,
                          "previous": self._previous.value, "current": self._current.value,
                          "digits": self._digits.value, "fraction": self._fraction.value})

    def _update(self, _change: Any = None) -> None:
        """Recompute at once (a choice was made), saving the fields."""
        self._save()
        self._later.now()

    def _recompute(self) -> None:
        readings = self._mode.value == "readings"
        for key in ("previous", "current", "digits"):
            self._rows[key].layout.display = None if readings else "none"
        self._rows["usage"].layout.display = "none" if readings else None
        tariff = tariff_engine.load(self._city.value)
        self._info.value = self._tariff_info(tariff)
        self.errors = {}
        size = self._field("size", lambda: tariff_engine.parse_number(
            self._size.value, "家庭人口（人）", minimum=1, maximum=tariff_engine.MAX_HOUSEHOLD_SIZE,
            integer=True))
        fraction = self._field("fraction", lambda: tariff_engine.parse_number(
            self._fraction.value, "计费周期比例", minimum=0, maximum=1))
        if fraction == 0:
            self._set_error("fraction", "计费周期比例必须大于 0、不大于 1（1 表示完整的一个计费周期）。")
        if readings:
            self._rows["usage"].show_error(None)
            usage = self._usage_from_readings()
        else:
            for key in ("previous", "current", "digits"):
                self._rows[key].show_error(None)
            usage = self._field("usage", lambda: tariff_engine.parse_number(
                self._usage.value, "用水量（立方米）"))
        if self.errors:
            self._status.value = status_html(
                "请先更正标红的输入；下面仍显示上一次有效的计算结果。" if self.bill else
                "请先更正标红的输入。", "error")
            return
        self.bill = tariff.bill(usage, household_size=int(size), fraction=fraction)
        self._status.value = ""
        self._table.value = self.bill._repr_html_()
        if self._charts:
            self._chart_box.children = [
                png_image(figure_png(plot_bill(self.bill)), "42%", "480px"),
                png_image(figure_png(plot_staircase(tariff, household_size=int(size),
                                                    usage=usage, fraction=fraction)), "56%",
                          "640px"),
            ]

    def _usage_from_readings(self) -> float | None:
        digits_text = self._digits.value.strip()
        digits = None
        if digits_text:
            digits = self._field("digits", lambda: tariff_engine.parse_number(
                digits_text, "水表位数", minimum=3, maximum=8, integer=True))
        else:
            self._rows["digits"].show_error(None)
        prev = self._field("previous", lambda: tariff_engine.parse_number(
            self._previous.value, "上次读数（立方米）"))
        cur = self._field("current", lambda: tariff_engine.parse_number(
            self._current.value, "本次读数（立方米）"))
        if prev is None or cur is None or "digits" in self.errors:
            return None
        try:
            return tariff_engine.usage_from_readings(
                prev, cur, meter_digits=int(digits) if digits is not None else None)
        except TariffInputError as exc:
            self._set_error("current", str(exc))
            return None

    def _field(self, key: str, parse: Any) -> float | None:
        try:
            value = parse()
        except TariffInputError as exc:
            self._set_error(key, str(exc))
            return None
        self._rows[key].show_error(None)
        return value

    def _set_error(self, key: str, message: str) -> None:
        self.errors[key] = message
        self._rows[key].show_error(message)

    @staticmethod
    def _tariff_info(tariff: tariff_engine.Tariff) -> str:
        src = tariff.source
        doc = f"（{src.document}）" if src.document else ""
        kind = "虚构的教学示例" if tariff.fictional else f"{tariff.effective:%Y年%m月%d日}起执行"
        return (
            f'<p style="color:#555;font-size:90%">{tariff.name}：按每{tariff.period_name}用水量分档，'
            f"{kind}。来源：{src.issuer}{doc}。</p>"
        )
