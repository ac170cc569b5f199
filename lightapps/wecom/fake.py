"""A fake WeCom server: a real HTTP server on 127.0.0.1 with WeCom's response shapes and codes.

It serves the tests (through wechatpy over real HTTP) and `manage.py fake_wecom` (a developer
trying the WeCom login locally). It answers:

    GET  /cgi-bin/gettoken?corpid&corpsecret
    GET  /cgi-bin/auth/getuserinfo?code            (and the older user/getuserinfo)
    GET  /cgi-bin/user/get?userid
    POST /cgi-bin/user/list_id                     {"cursor", "limit"}
    GET  /cgi-bin/department/simplelist[?id]
    GET  /cgi-bin/department/get?id
    GET  /cgi-bin/get_jsapi_ticket, /cgi-bin/ticket/get?type=agent_config
    POST /cgi-bin/message/send
    GET  /connect/oauth2/authorize?appid&redirect_uri&state    (302 back with a one-time code)
    GET  /wwlogin/sso/login?login_type=CorpApp&appid&agentid&redirect_uri&state
                                           (扫码登录: `current_user` "scans", 302 back with a code)

and records every request in `requests`. Tokens can be expired on demand (42001), the next
calls of a path can be made to fail (e.g. -1 system busy) or to answer late (a timeout).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

CODE_TTL = 300
TOKEN_TTL = 7200


@dataclass
class Recorded:
    method: str
    path: str
    params: dict
    body: dict | None


@dataclass
class FakeWeCom:
    corp_id: str = "wwfakecorp0001"
    secret: str = "fake-secret-0123456789"
    agent_id: str = "1000002"
    # WeCom department rows: {"id", "name", "parentid", "order"}; id 1 is the root.
    departments: list[dict] = field(default_factory=list)
    # userid -> user/get answer (without errcode/errmsg); "status": 1 active, 2 disabled.
    users: dict[str, dict] = field(default_factory=dict)
    # Who is "on the phone" when the browser comes to the authorize page.
    current_user: str | None = None
    requests: list[Recorded] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}  # token -> expires at
        self._codes: dict[str, tuple[str, float]] = {}  # code -> (userid or "openid:…", exp)
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._delays: dict[str, list[float]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.jsapi_ticket = "fake-jsapi-ticket-" + secrets.token_hex(8)
        self.agent_ticket = "fake-agent-ticket-" + secrets.token_hex(8)

    # --- running -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeWeCom:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_base(self) -> str:
        return f"{self.url}/cgi-bin/"

    @property
    def oauth_url(self) -> str:
        return f"{self.url}/connect/oauth2/authorize"

    def settings(self) -> dict:
        """The WECOM_* settings that point the product at this fake."""
        return {
            "WECOM_CORP_ID": self.corp_id,
            "WECOM_AGENT_ID": self.agent_id,
            "WECOM_SECRET": self.secret,
            "WECOM_API_BASE": self.api_base,
            "WECOM_OAUTH_URL": self.oauth_url,
            "WECOM_QR_LOGIN_URL": f"{self.url}/wwlogin/sso/login",
        }

    # --- contacts --------------------------------------------------------------------------
    def add_department(self, id: int, name: str, parentid: int = 0, order: int = 0) -> None:
        self.departments = [d for d in self.departments if d["id"] != id]
        self.departments.append({"id": id, "name": name, "parentid": parentid, "order": order})

    def add_user(
        self, userid: str, name: str, department: list[int], *, status: int = 1, mobile: str = ""
    ) -> None:
        self.users[userid] = {
            "userid": userid,
            "name": name,
            "department": list(department),
            "order": [0] * len(department),
            "position": "",
            "mobile": mobile,
            "status": status,
            "main_department": department[0] if department else 1,
            "is_leader_in_dept": [0] * len(department),
        }

    # --- control ---------------------------------------------------------------------------
    def expire_tokens(self) -> None:
        """Every token issued so far answers 42001 from now on."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = 0

    def fail_next(self, path: str, errcode: int = -1, errmsg: str = "system busy", times=1):
        """The next `times` calls of /cgi-bin/<path> answer this error instead."""
        with self._lock:
            self._failures.setdefault(path, []).extend([(errcode, errmsg)] * times)

    def delay_next(self, path: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of /cgi-bin/<path> are handled, then answered late."""
        with self._lock:
            self._delays.setdefault(path, []).extend([seconds] * times)

    def issue_code(self, userid: str | None = None, *, openid: str | None = None) -> str:
        """A one-time OAuth code for a member (userid) or a non-member (openid)."""
        code = secrets.token_hex(16)
        who = userid if openid is None else f"openid:{openid}"
        with self._lock:
            self._codes[code] = (who, time.time() + CODE_TTL)
        return code

    def inbox(self, userid: str) -> list[dict]:
        """Messages delivered to this user, oldest first."""
        return [m for m in self.messages if userid in m["touser"].split("|")]

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    # --- API ------------------------------------------------------------------------------
    def handle_api(self, method: str, name: str, params: dict, body: dict | None):
        with self._lock:
            self.requests.append(Recorded(method, name, params, body))
            delays = self._delays.get(name)
            delay = delays.pop(0) if delays else 0
        answer = self._answer(method, name, params, body)
        return answer, delay

    def _answer(self, method: str, name: str, params: dict, body: dict | None) -> dict:
        if name == "gettoken":
            if params.get("corpid") != self.corp_id:
                return _error(40013, "invalid corpid")
            if params.get("corpsecret") != self.secret:
                return _error(40001, "invalid credential")
            token = secrets.token_urlsafe(32)
            with self._lock:
                self._tokens[token] = time.time() + TOKEN_TTL
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": TOKEN_TTL}
        handler = getattr(self, "api_" + name.replace("/", "_"), None)
        if handler is None:
            return _error(60011, f"api not found: {name}")
        token = params.get("access_token")
        if not token:
            return _error(41001, "access_token missing")
        with self._lock:
            expires = self._tokens.get(token)
            failures = self._failures.get(name)
            failure = failures.pop(0) if failures and expires and expires > time.time() else None
        if expires is None:
            return _error(40014, "invalid access_token")
        if expires <= time.time():
            return _error(42001, "access_token expired")
        if failure:
            return _error(*failure)
        return handler(params, body or {})

    def api_auth_getuserinfo(self, params, body):
        with self._lock:
            who, expires = self._codes.pop(params.get("code", ""), (None, 0))
        if who is None or expires < time.time():
            return _error(40029, "invalid code")
        if who.startswith("openid:"):
            return {"errcode": 0, "errmsg": "ok", "openid": who[7:], "external_userid": ""}
        return {"errcode": 0, "errmsg": "ok", "userid": who, "user_ticket": secrets.token_hex(8)}

    def api_user_getuserinfo(self, params, body):
        answer = self.api_auth_getuserinfo(params, body)
        if "userid" in answer:  # the older endpoint spells it UserId
            answer = {"errcode": 0, "errmsg": "ok", "UserId": answer["userid"]}
        return answer

    def api_user_get(self, params, body):
        user = self.users.get(params.get("userid", ""))
        if user is None:
            return _error(60111, "userid not found")
        return {"errcode": 0, "errmsg": "ok", **user}

    def api_user_list_id(self, params, body):
        limit = max(1, min(int(body.get("limit", 10000)), 10000))
        start = int(body.get("cursor") or 0)
        rows = [
            {"userid": u["userid"], "department": d}
            for u in self.users.values()
            for d in u["department"]
        ]
        page = rows[start : start + limit]
        next_cursor = str(start + limit) if start + limit < len(rows) else ""
        return {"errcode": 0, "errmsg": "ok", "next_cursor": next_cursor, "dept_user": page}

    def _subtree(self, root: int | None) -> list[dict]:
        if root is None:
            return list(self.departments)
        ids = {root}
        changed = True
        while changed:
            changed = False
            for d in self.departments:
                if d["parentid"] in ids and d["id"] not in ids:
                    ids.add(d["id"])
                    changed = True
        return [d for d in self.departments if d["id"] in ids]

    def api_department_simplelist(self, params, body):
        root = int(params["id"]) if params.get("id") else None
        if root is not None and not any(d["id"] == root for d in self.departments):
            return _error(60003, "department not found")
        rows = [
            {"id": d["id"], "parentid": d["parentid"], "order": d["order"]}
            for d in self._subtree(root)
        ]
        return {"errcode": 0, "errmsg": "ok", "department_id": rows}

    def api_department_get(self, params, body):
        dept = next((d for d in self.departments if str(d["id"]) == params.get("id")), None)
        if dept is None:
            return _error(60003, "department not found")
        return {"errcode": 0, "errmsg": "ok", "department": {**dept, "department_leader": []}}

    def api_get_jsapi_ticket(self, params, body):
        return {"errcode": 0, "errmsg": "ok", "ticket": self.jsapi_ticket, "expires_in": 7200}

    def api_ticket_get(self, params, body):
        if params.get("type") != "agent_config":
            return _error(40004, "invalid type")
        return {"errcode": 0, "errmsg": "ok", "ticket": self.agent_ticket, "expires_in": 7200}

    def api_message_send(self, params, body):
        if str(body.get("agentid")) != str(self.agent_id):
            return _error(40056, "invalid agentid")
        msgtype = body.get("msgtype")
        if msgtype not in {"text", "textcard", "template_card", "markdown", "news"}:
            return _error(40008, "invalid message type")
        wanted = [u for u in str(body.get("touser", "")).split("|") if u]
        valid = [u for u in wanted if u in self.users and self.users[u]["status"] == 1]
        invalid = [u for u in wanted if u not in valid]
        if not valid:
            return _error(81013, "user & party & tag all invalid")
        with self._lock:
            if body.get("enable_duplicate_check"):
                interval = int(body.get("duplicate_check_interval", 1800))
                content = {k: v for k, v in body.items() if k != "touser"}
                for m in self.messages:
                    same = {k: v for k, v in m["body"].items() if k != "touser"}
                    if same == content and time.time() - m["at"] < interval:
                        # WeCom answers ok and delivers nothing the second time.
                        return {
                            "errcode": 0,
                            "errmsg": "ok",
                            "invaliduser": "",
                            "msgid": m["msgid"],
                        }
            msgid = secrets.token_hex(12)
            self.messages.append(
                {
                    "touser": "|".join(valid),
                    "msgtype": msgtype,
                    "body": body,
                    "msgid": msgid,
                    "at": time.time(),
                }
            )
        return {
            "errcode": 0,
            "errmsg": "ok",
            "invaliduser": "|".join(invalid),
            "invalidparty": "",
            "invalidtag": "",
            "unlicenseduser": "",
            "msgid": msgid,
            "response_code": "",
        }

    # --- OAuth page -----------------------------------------------------------------------
    def authorize(self, params: dict) -> tuple[int, dict, str]:
        with self._lock:
            self.requests.append(Recorded("GET", "connect/oauth2/authorize", params, None))
        if params.get("appid") != self.corp_id or not params.get("redirect_uri"):
            return 400, {}, "invalid appid or redirect_uri"
        if not self.current_user:
            return 403, {}, "nobody is signed in to the fake WeCom"
        code = self.issue_code(self.current_user)
        query = urlencode({"code": code, "state": params.get("state", "")})
        sep = "&" if "?" in params["redirect_uri"] else "?"
        return 302, {"Location": f"{params['redirect_uri']}{sep}{query}"}, ""

    def qr_login(self, params: dict) -> tuple[int, dict, str]:
        """WeCom's web login page: whoever is `current_user` has scanned the QR code."""
        with self._lock:
            self.requests.append(Recorded("GET", "wwlogin/sso/login", params, None))
        if params.get("login_type") != "CorpApp" or params.get("agentid") != self.agent_id:
            return 400, {}, "invalid login_type or agentid"
        return self.authorize(params)


def _error(errcode: int, errmsg: str) -> dict:
    return {"errcode": errcode, "errmsg": f"{errmsg}, hint: [fake{int(time.time())}]"}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeWeCom

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _params(self) -> tuple[str, dict]:
        parsed = urlparse(self.path)
        return parsed.path, {k: v[0] for k, v in parse_qs(parsed.query).items()}

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str):
        path, params = self._params()
        if path in {"/connect/oauth2/authorize", "/wwlogin/sso/login"}:
            page = self.fake.authorize if path.startswith("/connect") else self.fake.qr_login
            status, headers, text = page(params)
            self._send(status, text.encode(), headers, "text/plain; charset=utf-8")
            return
        if not path.startswith("/cgi-bin/"):
            self._send(404, b"not found", {}, "text/plain")
            return
        body = None
        if method == "POST":
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw.decode("utf-8") or "{}")
            except ValueError:
                self._json(_error(47001, "data format error"))
                return
        answer, delay = self.fake.handle_api(method, path[len("/cgi-bin/") :], params, body)
        if delay:
            time.sleep(delay)
        self._json(answer)

    def _json(self, answer: dict):
        self._send(200, json.dumps(answer, ensure_ascii=False).encode(), {}, "application/json")

    def _send(self, status, payload: bytes, headers: dict, content_type: str):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer
