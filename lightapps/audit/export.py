"""导出审计日志: the filtered entries as one .xlsx workbook (written row by row)."""

import json
import re
import tempfile

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lightapps.errors import DomainError

from .models import Outcome
from .selectors import AuditFilters, audit_entries
from .services import ACTION_LABELS, audit_record

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value) -> str:
    # A leading = + - @ would be read as a formula by Excel: a quote keeps it text.
    text = _ILLEGAL.sub("", str(value or ""))[:32767]
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def audit_export_file(*, person, filters: AuditFilters):
    """The workbook in a temporary file, rewound; refused above AUDIT_EXPORT_MAX_ROWS."""
    qs = audit_entries(filters)
    total = qs.count()
    if total > settings.AUDIT_EXPORT_MAX_ROWS:
        raise DomainError(
            _("符合条件的记录有 %(n)d 条，超过单次导出上限 %(max)d 条，请缩小日期范围后再导出")
            % {"n": total, "max": settings.AUDIT_EXPORT_MAX_ROWS},
            code="export_too_large",
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("审计日志"))
    sheet.append(
        [
            _("时间"),
            _("操作人"),
            _("操作"),
            _("结果"),
            _("对象类型"),
            _("对象编号"),
            _("对象"),
            _("地址"),
            _("客户端"),
            _("请求编号"),
            _("详情"),
        ]
    )
    outcomes = dict(Outcome.choices)
    rows = 0
    for e in qs.iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                _text(e.actor_username),
                _text(ACTION_LABELS.get(e.action, e.action)),
                str(outcomes.get(e.outcome, e.outcome)),
                _text(e.object_type),
                _text(e.object_id),
                _text(e.object_repr),
                e.ip or "",
                _text(e.user_agent),
                _text(e.request_id),
                _text(json.dumps(e.details, ensure_ascii=False)),
            ]
        )
        rows += 1
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    book.save(out)
    audit_record(
        "audit.export", actor=person, details={"filters": filters.as_query(), "rows": rows}
    )
    out.seek(0)
    return out
