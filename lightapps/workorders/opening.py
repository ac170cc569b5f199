"""上报 → 待立案: a report stored and, when its flow says so, its work order opened and routed.

`report_submit` is what every face calls to submit a report (the API, the demo, the tests): the
submission (idempotent by its phone-made id) and its work order commit together or not at all.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.flows import (
    REPORT_ACTION,
    flow_is_urgent,
    flow_opens_order,
    flow_template,
)
from lightapps.definitions.models import LightAppVersion
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.models import Submission
from lightapps.submissions.services import submission_store

from .deadlines import clock_for
from .models import WorkOrder, WorkOrderCounter, WorkOrderEvent
from .routing import grid_at, route
from .services import after_commit
from .titles import work_order_search_text, work_order_title
from .worktime import deadline


@transaction.atomic
def report_submit(
    *,
    submission_id: uuid.UUID,
    version: LightAppVersion,
    reporter: Person,
    data: dict,
    device_time: datetime | None = None,
) -> tuple[Submission, bool]:
    """上报: validate and store the submission; open its work order when the flow says so.

    Returns (submission, created); a resend of a stored submission returns it unchanged (and
    opens nothing), so a flaky network never makes two reports or two orders.
    """
    placements: list[Placement] = []

    def placed(submission: Submission) -> None:
        # Before the insert: the report carries its order's scope from its first statement on.
        placements.append(work_order_placement(submission))
        submission.place_path = placements[0].place.path
        submission.assignee_path = placements[0].assignee_path
        submission.has_work_order = True

    opens = flow_opens_order(version.flow, data)
    submission, created = submission_store(
        submission_id=submission_id,
        version=version,
        reporter=reporter,
        data=data,
        device_time=device_time,
        placed=placed if opens else None,
    )
    if created and opens:
        work_order_open(submission=submission, placement=placements[0])
    return submission, created


@dataclass(frozen=True)
class Placement:
    """Where a new order lies and whom it goes to: the grid of the report's GPS point (None
    outside every grid), its place (that grid, else the reporter's unit), the unit the flow's
    routing rules choose and the index of the rule that chose it (None: the fallback)."""

    grid: OrgUnit | None
    place: OrgUnit
    assignee_unit: OrgUnit | None
    rule: int | None

    @property
    def assignee_path(self) -> str:
        return self.assignee_unit.path if self.assignee_unit else ""


def work_order_placement(submission: Submission) -> Placement:
    """Locate and route a report's order (the grid from the process's grid index)."""
    grid = grid_at(lat=submission.latitude, lng=submission.longitude)
    assignee_unit, rule = route(submission=submission, flow=submission.version.flow, grid=grid)
    return Placement(grid, grid or submission.org_unit, assignee_unit, rule)


def _next_number() -> str:
    """GD + the local day + the day's next sequence number, in one statement: an upsert that
    takes the day's row lock until commit (concurrent reports wait their turn, as with SELECT …
    FOR UPDATE) and returns the new value. PostgreSQL and SQLite (3.35+) both speak it."""
    day = timezone.localdate()
    table = connection.ops.quote_name(WorkOrderCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 (our own table name)
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [day],
        )
        (last,) = cursor.fetchone()
    return f"GD{day:%Y%m%d}{last:04d}"


def work_order_open(*, submission: Submission, placement: Placement) -> WorkOrder:
    """上报 → 待立案: open the order of a stored submission where `placement` puts it (the one
    work_order_placement gave before the submission's insert, which copied it onto the report),
    and write the first event.

    The order lies where the problem is (the grid its GPS point is in, else the reporter's unit);
    it goes to the unit the flow's routing rules choose.
    """
    flow = submission.version.flow
    template = flow_template(flow)
    if template is None:
        raise DomainError(_("该应用没有处置流程"), code="no_flow")
    grid, place, assignee_unit = placement.grid, placement.place, placement.assignee_unit
    now = timezone.now()
    limit, clock = clock_for(flow, template["initial"])
    order = WorkOrder.objects.create(
        number=_next_number(),
        app=submission.app,
        submission=submission,
        org_unit=place,
        org_path=place.path,
        state=template["initial"],
        assignee_unit=assignee_unit,
        assignee_path=placement.assignee_path,
        reporter_id=submission.reporter_id,
        title=work_order_title(
            app_name=submission.app.name,
            schema=submission.version.schema,
            ui=submission.version.ui,
            data=submission.data,
            place=place,
        ),
        search_text=work_order_search_text(
            schema=submission.version.schema, ui=submission.version.ui, data=submission.data
        ),
        priority=flow.get("priority", WorkOrder.Priority.NORMAL),
        clock=clock,
        due_at=deadline(now, limit, urgent=flow_is_urgent(flow)) if limit else None,
    )
    event = WorkOrderEvent.objects.create(
        order=order,
        actor=submission.reporter,
        action=REPORT_ACTION,
        from_state="",
        to_state=order.state,
        assignee_unit=assignee_unit,
        data={"routing_rule": placement.rule, "grid": grid.pk if grid else None},
        due_at=order.due_at,
    )
    after_commit(event)
    return order
