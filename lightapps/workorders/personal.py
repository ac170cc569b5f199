"""A person's own lists on the phone: 待我处理 (the orders waiting for this person's step, the
nearest deadline first) and 我的上报 (everything they sent, with its order's state).

An order waits for the people who may move it forward now: a step that changes its state and
is not a step back (立案 for the dispatcher of a new report, 处置完成 for the handler of the
assigned unit, 核查 for the supervisor...). Steps anyone may also take on the way (改派, 挂起,
退回) do not make it theirs. 待我处理 is asked of the database in one query, narrowed to the
states such a step of one of the person's roles leaves from; the rule itself
(`allowed_transitions`: the role held at the place, or at the assigned unit) is then applied to
those rows in memory.
"""

from django.db.models import F

from lightapps.definitions.flows import FLOW_TEMPLATES, decides_duplicates, is_backward
from lightapps.orgs.models import Person
from lightapps.orgs.selectors import memberships_of
from lightapps.submissions.models import Submission

from .selectors import work_orders_visible_to, work_orders_with_flow
from .steps import allowed_transitions

# The most rows a list looks at: beyond it the count says "at least".
CANDIDATES = 200


def _moves_forward(t: dict) -> bool:
    return t["to"] != t["from"] and not is_backward(t) and not decides_duplicates(t)


def _states_for(roles: set[str]) -> set[str]:
    return {
        t["from"]
        for template in FLOW_TEMPLATES.values()
        for t in template["transitions"]
        if roles & set(t["roles"]) and _moves_forward(t)
    }


def _waits_for(order, person: Person) -> bool:
    return any(_moves_forward(t) for t in allowed_transitions(order=order, person=person))


def orders_to_act_on(person: Person) -> tuple[list, bool]:
    """(orders waiting for this person's step, nearest deadline first; whether there may be more
    than CANDIDATES of them)."""
    roles = {m.role for m in memberships_of(person)}
    states = _states_for(roles)
    if not states:
        return [], False
    candidates = list(
        work_orders_with_flow(
            work_orders_visible_to(person)
            .filter(state__in=states)
            .select_related("app", "org_unit", "assignee_unit")
        ).order_by(F("due_at").asc(nulls_last=True), "created_at")[: CANDIDATES + 1]
    )
    more = len(candidates) > CANDIDATES
    return [o for o in candidates[:CANDIDATES] if _waits_for(o, person)], more


def my_reports(person: Person, *, limit: int):
    """The person's own reports, newest first, with their order (if any) and its flow."""
    return (
        Submission.objects.filter(reporter=person)
        .select_related("app", "version", "work_order")
        .defer("data", "version__schema", "version__ui")
        .order_by("-received_at")[:limit]
    )


def my_reports_count(person: Person) -> int:
    return Submission.objects.filter(reporter=person).count()
