"""relay.effects_withheld: steps of the past are stored as usual, and nobody is told of them."""

from lightapps.wecom.models import Notification
from lightapps.workorders.models import WorkOrderEvent
from lightapps.workorders.outbox import sweep
from lightapps.workorders.relay import effects_are_withheld, effects_withheld
from tests.workorders.conftest import take


def test_steps_written_with_effects_withheld_enqueue_nothing_and_are_never_swept(
    make_order, people, django_capture_on_commit_callbacks, eager_tasks
):
    # given: an order reported the usual way (its fan-out ran)
    order = make_order(people["owner"])
    told = Notification.objects.count()

    # when: the next step is written with its effects withheld
    with effects_withheld(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert effects_are_withheld()
        take(order, "file", people["dispatcher"])

    # then: the step is stored, marked done, and no fan-out was enqueued nor will be swept
    assert not effects_are_withheld()
    step = WorkOrderEvent.objects.get(order=order, action="file")
    assert (step.to_state, step.effects_pending) == ("filed", False)
    assert callbacks == []
    assert sweep()["events"] == 0
    assert Notification.objects.count() == told
    assert not Notification.objects.filter(event=step).exists()
