"""实时: the console's websocket (`/ws/console/`). One per open console page.

- connect: signed in with a console role, else refused (4401 / 4403); the Origin is checked
  before (asgi.py: AllowedHostsOriginValidator). It joins the groups of the units the person
  sees (workorders.live.groups_of), the groups every step is broadcast to (the outbox).
- each broadcast is checked again against the one visibility rule (work_orders_visible_to)
  before it is passed on: a message for an order the person may not see is dropped.
- the page sends `{"since": <event id>}` when it opens and every half minute: the answer lists
  the steps it missed (a reconnect after a drop, a step broadcast by another process on the
  embedded default, a lost broadcast), at most MISSED_LIMIT, else `more: true` (reload). The
  same ping checks the session: an expired or ended one closes the socket (4401).

Messages to the page: `{"type": "event", "event", "order", "number", "state", "action"}` and
`{"type": "missed", "events": [...], "more": bool}`; the page drops repeats by event id.
"""

import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from lightapps.orgs.selectors import CONSOLE_ROLES, roles_of
from lightapps.web.middleware import session_expired
from lightapps.workorders.live import groups_of
from lightapps.workorders.selectors import events_visible_since, work_orders_visible_to

MISSED_LIMIT = 100
NOT_SIGNED_IN, NOT_ALLOWED = 4401, 4403
EVENT_FIELDS = ("event", "order", "number", "state", "action")


def _groups_for(person) -> list[str] | None:
    if not roles_of(person) & CONSOLE_ROLES:
        return None
    return groups_of(person)


def _visible(person, order_id) -> bool:
    return work_orders_visible_to(person).filter(pk=order_id).exists()


def _session_live(session) -> bool:
    data = session.load()  # fresh from the store: {} once a logout or clearsessions deleted it
    return bool(data.get("_auth_user_id")) and not session_expired(data, now=time.time())


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        groups = await database_sync_to_async(_groups_for)(user)
        if not groups:
            await self.close(code=NOT_ALLOWED)
            return
        self.person, self.joined = user, groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:  # not JSON: answered like any other bad message
            return None

    async def receive_json(self, content, **kwargs):
        since = content.get("since") if isinstance(content, dict) else None
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            await self.send_json({"type": "error", "code": "invalid", "field": "since"})
            return
        session = self.scope.get("session")
        if session is not None and not await database_sync_to_async(_session_live)(session):
            await self.close(code=NOT_SIGNED_IN)
            return
        missed = await database_sync_to_async(events_visible_since)(
            person=self.person, since=since, limit=MISSED_LIMIT
        )
        await self.send_json(
            {"type": "missed", "events": missed[:MISSED_LIMIT], "more": len(missed) > MISSED_LIMIT}
        )

    async def work_order_event(self, message):
        """A step, broadcast to one of this person's unit groups (workorders.live)."""
        if await database_sync_to_async(_visible)(self.person, message["order"]):
            await self.send_json({"type": "event", **{k: message.get(k) for k in EVENT_FIELDS}})
