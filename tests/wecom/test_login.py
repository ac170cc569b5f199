"""The WeCom OAuth login, through the fake's authorize page and wechatpy over real HTTP."""

import time

import pytest
from django.core import signing

from lightapps.audit.models import AuditEntry
from lightapps.orgs.models import Membership, Person, Role
from lightapps.web.middleware import SEEN_AT
from lightapps.wecom.services import STATE_SALT, oauth_state_make
from tests.wecom.conftest import oauth_dance

WECOM_UA = "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 wxwork/4.1.20 MicroMessenger/7.0.1"


def test_a_new_person_is_created_from_the_contacts_with_their_units_and_sent_back(
    client, wecom_contacts, tree
):
    # given: 张三 is in WeCom's 江宁路街道 department, unknown here
    wecom_contacts.add_user("zhangsan", "张三", [2], mobile="13800000001")
    wecom_contacts.current_user = "zhangsan"

    # when
    response = oauth_dance(client, wecom_contacts, next_url="/m/apps/x/?a=1")

    # then: created, a reporter of the street, logged in, back where they asked to go
    assert response.status_code == 302
    assert response["Location"] == "/m/apps/x/?a=1"
    person = Person.objects.get(wecom_userid="zhangsan")
    assert (person.username, person.name, person.mobile) == ("zhangsan", "张三", "13800000001")
    assert list(Membership.objects.filter(person=person).values_list("org_unit", "role")) == [
        (tree["jny"].pk, Role.REPORTER)
    ]
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_known_person_is_logged_in_and_keeps_their_roles(client, wecom_contacts, people):
    # given: the handler exists here (wecom_userid "handler") and in WeCom, renamed there
    wecom_contacts.add_user("handler", "陈处置（新）", [2])
    wecom_contacts.current_user = "handler"

    # when
    response = oauth_dance(client, wecom_contacts)

    # then: the same person, name brought up to date, hand-given role untouched
    assert response["Location"] == "/m/"
    handler = Person.objects.get(pk=people["handler"].pk)
    assert handler.name == "陈处置（新）"
    assert client.session["_auth_user_id"] == str(handler.pk)
    assert set(Membership.objects.filter(person=handler).values_list("role", flat=True)) == {
        Role.HANDLER,
        Role.REPORTER,
    }
    assert Person.objects.filter(wecom_userid="handler").count() == 1
    # and the audit log says how
    login = AuditEntry.objects.get(action="auth.login")
    assert (login.actor_id, login.details) == (handler.pk, {"method": "wecom"})


def test_a_bad_code_gets_a_clear_page_and_no_session(client, wecom_contacts):
    # given
    state = oauth_state_make(next_url="/m/")

    # when
    response = client.get("/wecom/oauth/callback/", {"code": "not-a-code", "state": state})

    # then
    assert response.status_code == 400
    assert "登录凭证已失效" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert wecom_contacts.calls("auth/getuserinfo")[0].params["code"] == "not-a-code"


def test_a_code_works_once(client, wecom_contacts, people):
    # given: a code already used to log in
    wecom_contacts.add_user("owner", "王网格", [2])
    code = wecom_contacts.issue_code("owner")
    state = oauth_state_make(next_url="/m/")
    first = client.get("/wecom/oauth/callback/", {"code": code, "state": state})
    assert first.status_code == 302
    client.logout()

    # when: the same code again
    again = client.get("/wecom/oauth/callback/", {"code": code, "state": state})

    # then
    assert again.status_code == 400
    assert "登录凭证已失效" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_token_in_the_middle_of_the_login_is_refreshed(client, wecom_contacts, people):
    # given: a token fetched earlier, expired by WeCom before this login
    wecom_contacts.add_user("owner", "王网格", [2])
    wecom_contacts.current_user = "owner"
    oauth_dance(client, wecom_contacts)
    client.logout()
    wecom_contacts.expire_tokens()

    # when
    response = oauth_dance(client, wecom_contacts)

    # then: logged in; WeCom saw 42001 and a second gettoken
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people["owner"].pk)
    assert len(wecom_contacts.calls("gettoken")) == 2


@pytest.mark.parametrize("known", [True, False])
def test_a_disabled_user_is_refused_with_a_clear_page(client, wecom_contacts, tree, known):
    # given: 李四 is disabled in WeCom (status 2), known here or not
    wecom_contacts.add_user("lisi", "李四", [2], status=2)
    wecom_contacts.current_user = "lisi"
    if known:
        Person.objects.create(username="lisi", wecom_userid="lisi", name="李四")

    # when
    response = oauth_dance(client, wecom_contacts)

    # then
    assert response.status_code == 403
    assert "您的账号已停用" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert list(Person.objects.filter(wecom_userid="lisi").values_list("is_active", flat=True)) == (
        [False] if known else []
    )


def test_a_person_disabled_here_is_refused_even_if_wecom_still_lists_them(
    client, wecom_contacts, people
):
    # given
    wecom_contacts.add_user("owner", "王网格", [2])
    wecom_contacts.current_user = "owner"
    Person.objects.filter(pk=people["owner"].pk).update(is_active=False)

    # when
    response = oauth_dance(client, wecom_contacts)

    # then
    assert response.status_code == 403
    assert "您的账号已停用" in response.content.decode()


def test_someone_outside_the_contacts_is_told_so(client, wecom_contacts):
    # given: a WeChat user who is not a member: getuserinfo answers an openid only
    code = wecom_contacts.issue_code(openid="oAbc123")

    # when
    response = client.get(
        "/wecom/oauth/callback/", {"code": code, "state": oauth_state_make(next_url="/m/")}
    )

    # then
    assert response.status_code == 403
    assert "您不在本单位通讯录中" in response.content.decode()
    assert not Person.objects.filter(username="oAbc123").exists()


def test_a_tampered_state_is_refused_before_wecom_is_asked(client, wecom_contacts):
    # given: a state whose `next` was changed to another site
    state = oauth_state_make(next_url="/m/")
    payload, rest = state.split(":", 1)
    forged = signing.dumps({"next": "https://evil.example/"}, salt=STATE_SALT).split(":", 1)[0]

    # when
    response = client.get("/wecom/oauth/callback/", {"code": "x", "state": f"{forged}:{rest}"})

    # then
    assert response.status_code == 400
    assert "登录链接无效" in response.content.decode()
    assert wecom_contacts.calls("auth/getuserinfo") == []


def test_an_old_state_is_refused(client, wecom_contacts, monkeypatch):
    # given: a state made 11 minutes ago
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 660)
    state = oauth_state_make(next_url="/m/")
    monkeypatch.setattr(time, "time", lambda: now)

    # when
    response = client.get("/wecom/oauth/callback/", {"code": "x", "state": state})

    # then
    assert response.status_code == 400
    assert "登录已超时" in response.content.decode()


def test_next_pointing_elsewhere_is_dropped(client, wecom_contacts, people):
    # given
    wecom_contacts.add_user("owner", "王网格", [2])
    wecom_contacts.current_user = "owner"

    # when
    response = oauth_dance(client, wecom_contacts, next_url="https://evil.example/")

    # then
    assert response["Location"] == "/"


def test_any_page_opened_in_wecom_without_a_session_goes_to_the_oauth_start(client, wecom):
    # when
    response = client.get("/m/apps/facade/?from=menu", HTTP_USER_AGENT=WECOM_UA)

    # then
    assert response.status_code == 302
    assert response["Location"] == "/wecom/oauth/start/?next=%2Fm%2Fapps%2Ffacade%2F%3Ffrom%3Dmenu"


def test_the_start_sends_to_wecoms_authorize_page_with_corp_agent_and_a_signed_state(client, wecom):
    # when
    response = client.get("/wecom/oauth/start/", {"next": "/m/"})

    # then
    location = response["Location"]
    assert location.startswith(f"{wecom.oauth_url}?appid={wecom.corp_id}&redirect_uri=")
    assert "http%3A%2F%2Ftestserver%2Fwecom%2Foauth%2Fcallback%2F" in location
    assert "&response_type=code&scope=snsapi_base&state=" in location
    assert location.endswith(f"&agentid={wecom.agent_id}#wechat_redirect")


def test_pages_outside_wecom_and_without_wecom_configured_are_left_alone(client, settings):
    # given: WeCom not configured
    settings.WECOM_CORP_ID = ""

    # when
    response = client.get("/m/", HTTP_USER_AGENT=WECOM_UA)

    # then: the usual login redirect, not OAuth
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_inside_wecom_the_login_page_goes_to_oauth_and_back_on(client, wecom, people):
    # when: not signed in
    response = client.get("/login/", {"next": "/console/"}, HTTP_USER_AGENT=WECOM_UA)

    # then: OAuth, coming back to this page
    assert response.status_code == 302
    assert response["Location"].startswith("/wecom/oauth/start/?next=")

    # when: back here, signed in
    client.force_login(people["supervisor"])
    again = client.get("/login/", {"next": "/console/"}, HTTP_USER_AGENT=WECOM_UA)

    # then: on to the page asked for, not round again
    assert (again.status_code, again["Location"]) == (302, "/console/")


def test_on_a_desktop_the_login_page_offers_the_qr_login_and_never_the_dev_login(
    client, wecom, people
):
    # when
    page = client.get("/login/", {"next": "/console/"})

    # then: 扫码登录 beside the password form; the development login is gone
    html = page.content.decode()
    assert page.status_code == 200
    assert "企业微信扫码登录" in html and 'href="/wecom/qr/start/?next=%2Fconsole%2F"' in html
    assert "data-username=" not in html
    refused = client.post("/login/", {"person": str(people["supervisor"].pk)})
    assert refused.status_code == 404
    assert "_auth_user_id" not in client.session


def test_a_supervisor_at_a_desktop_logs_in_by_scanning_the_qr_code(client, wecom, people):
    import requests

    # given: the supervisor is the one holding the phone with WeCom
    wecom.add_user(people["supervisor"].wecom_userid, people["supervisor"].name, [2])
    wecom.current_user = people["supervisor"].wecom_userid

    # when: 扫码登录 → WeCom's web login page (the fake "scans") → back with a code
    start = client.get("/wecom/qr/start/", {"next": "/console/"})
    assert start.status_code == 302
    assert start["Location"].startswith(wecom.url + "/wwlogin/sso/login?login_type=CorpApp&")
    page = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert page.status_code == 302, page.text
    back = client.get(page.headers["Location"].removeprefix("http://testserver"))

    # then: signed in as that person, on the page asked for
    assert back.status_code == 302 and back["Location"] == "/console/"
    assert client.session["_auth_user_id"] == str(people["supervisor"].pk)
    params = wecom.calls("wwlogin/sso/login")[0].params
    assert (params["appid"], params["agentid"]) == (wecom.corp_id, wecom.agent_id)


def test_the_qr_login_is_not_there_without_wecom(client, db, settings):
    settings.WECOM_CORP_ID = ""
    assert client.get("/wecom/qr/start/").status_code == 404
    assert "扫码登录" not in client.get("/login/").content.decode()


def test_inside_wecom_a_lapsed_session_signs_in_again_through_oauth(client, wecom, people):
    # given a grid worker whose session has been idle for an hour
    client.force_login(people["owner"])
    session = client.session
    session[SEEN_AT] = int(time.time()) - 3600
    session.save()

    # when they open the phone pages again inside WeCom
    response = client.get("/m/", HTTP_USER_AGENT=WECOM_UA)

    # then the session is gone and WeCom's OAuth signs them in again, with no login page
    assert response.status_code == 302
    assert response["Location"] == "/wecom/oauth/start/?next=%2Fm%2F"
    assert "_auth_user_id" not in client.session
