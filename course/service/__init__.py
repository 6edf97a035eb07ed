"""Service awareness and complaint prevention (seed 003's service half), for the service hall.

The topics — 服务三层次, 八种心理需求, 柜面七步法, 大堂关键时刻, 投诉预防, 投诉处理三原则,
受理规范 — are data in ``course/data/service.yaml``; each names the sorting exercise
(``course/data/exercises/svc_*.yaml``) that practises it.

>>> from course import service
>>> service.topic("levels").names
('基本服务', '满意服务', '超值服务')
>>> service.topic("intake").item("一小时内找到处理人").selfcheck
'ch2_service.assign_deadline'
"""

from course.service.catalog import topic, topic_ids, topics, validate
from course.service.model import ServiceError, ServiceItem, Topic

__all__ = ["ServiceError", "ServiceItem", "Topic", "topic", "topic_ids", "topics", "validate"]
