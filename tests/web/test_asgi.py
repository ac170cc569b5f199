"""The ASGI application (the `ws` process): a websocket to a path no route knows is refused at the
handshake, whatever its origin, instead of raising in the server."""

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from lightapps.asgi import application


async def _handshake(path: str, headers: list) -> dict:
    scope = {
        "type": "websocket",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "subprotocols": [],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "websocket.connect"})
    answer = await communicator.receive_output(timeout=5)
    await communicator.send_input({"type": "websocket.disconnect", "code": 1006})
    await communicator.wait(timeout=5)  # the application ends without an exception
    return answer


@pytest.mark.parametrize(
    "headers",
    [
        [(b"host", b"testserver"), (b"origin", b"http://testserver")],  # our own origin
        [(b"host", b"testserver"), (b"origin", b"http://evil.example")],
        [(b"host", b"testserver")],  # no origin at all
    ],
)
def test_a_websocket_to_an_unknown_path_is_refused(db, headers):
    # (`db`: the auth middleware in front looks the visitor up, which may open a connection.)
    answer = async_to_sync(_handshake)("/ws/nothing-here/", headers)

    assert answer["type"] == "websocket.close"
