"""The fields of a local profile: what each means, and what is allowed (the validator's rules)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIELDS", "Field"]


@dataclass(frozen=True)
class Field:
    """One field of a profile: its dotted path, kind, Chinese label and (for numbers) range."""

    path: str
    kind: str  # text, number, integer, list, bool, tariff
    label: str
    minimum: float | None = None
    maximum: float | None = None
    required: bool = True


FIELDS: tuple[Field, ...] = (
    Field("id", "text", "档案标识（与文件名相同）"),
    Field("utility", "text", "供水企业名称"),
    Field("city", "text", "城市（或供水区域）名称"),
    Field("fictional", "bool", "是否为虚构的教学示例"),
    Field("tariff", "tariff", "执行的阶梯水价（course/data/tariffs/ 中的文件名）"),
    Field("hotline.number", "text", "服务热线号码"),
    Field("hotline.hours", "text", "热线服务时间"),
    Field("meter_test.apply", "text", "验表怎么申请"),
    Field("meter_test.days", "integer", "验表出结果的时限（工作日）", 1, 60),
    Field("meter_test.fee", "number", "误差在允许范围内时申请人付的检定费（元）", 0, 1000),
    Field("meter_test.within_tolerance", "text", "误差在允许范围内时怎么办"),
    Field("meter_test.outside_tolerance", "text", "误差超出允许范围时怎么办"),
    Field("meter_test.basis", "text", "验表规定的依据"),
    Field("late_fee.grace_days", "integer", "缴费期满后第几天起计违约金", 0, 90),
    Field("late_fee.rate_per_day", "number", "违约金每日比例（按欠费额，如 0.001 即千分之一）", 0, 0.01),
    Field("late_fee.cap", "text", "违约金上限"),
    Field("late_fee.basis", "text", "违约金的依据"),
    Field("late_fee.waiver", "text", "谁可以批准减免违约金"),
    Field("deferral.max_days", "integer", "核查期间可以缓缴的最长天数", 0, 180),
    Field("deferral.no_late_fee", "bool", "缓缴登记期间是否不计违约金"),
    Field("household_increase.who", "text", "人口核增：哪些家庭可以申请"),
    Field("household_increase.materials", "list", "人口核增：要带的材料"),
    Field("household_increase.where", "text", "人口核增：在哪里办"),
    Field("household_increase.review_days", "integer", "人口核增：审核时限（工作日）", 0, 60),
    Field("household_increase.effective", "text", "人口核增：从什么时候起生效"),
    Field("low_income_relief.who", "text", "困难家庭照顾：对象"),
    Field("low_income_relief.relief", "text", "困难家庭照顾：内容"),
    Field("low_income_relief.apply", "text", "困难家庭照顾：怎么申请"),
    Field("interruption.planned_notice_hours", "integer", "计划停水至少提前多少小时通知", 0, 720),
    Field("interruption.planned_notice_how", "text", "计划停水怎样通知"),
    Field("interruption.arrears_steps", "list", "欠费中止供水的程序（按顺序）"),
    Field("interruption.arrears_notice_days", "integer", "欠费中止供水前至少提前几天书面通知", 0, 60),
    Field("interruption.restore_hours", "integer", "缴清欠费和违约金后多少小时内恢复供水", 1, 168),
    Field("maintenance.utility_part", "text", "设施维护分界：供水企业负责维护到哪里"),
    Field("maintenance.secondary_supply", "text", "设施维护分界：二次供水设施（水箱、加压泵房）由谁管"),
    Field("maintenance.customer_part", "text", "设施维护分界：户表以后的管道和器具由谁修"),
    Field("maintenance.leak_relief", "text", "户表以后漏水：漏掉的水怎么计费、有没有减免"),
    Field("maintenance.basis", "text", "设施维护分界的依据"),
    Field("authority.counter_clerk", "list", "一线员工可以当场办理的事"),
    Field("authority.supervisor", "list", "要由主管批准的事"),
    Field("authority.never", "list", "任何人都不能承诺的事"),
)
