"""The callback endpoint: URL verification and encrypted contact-change events."""

import base64
import logging

import pytest
from wechatpy.enterprise.crypto import WeChatCrypto

from lightapps.orgs.models import Membership, Person

TOKEN = "callbacktoken"
AES_KEY = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode().rstrip("=")


@pytest.fixture
def callback_settings(wecom_contacts, settings):
    settings.WECOM_TOKEN = TOKEN
    settings.WECOM_AES_KEY = AES_KEY
    return WeChatCrypto(TOKEN, AES_KEY, wecom_contacts.corp_id)


def _encrypted(crypto, xml, nonce="nonce1", timestamp="1700000000"):
    """What WeCom posts, and the signature parameters of the URL."""
    import xmltodict

    envelope = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]
    body = f"<xml><ToUserName><![CDATA[{crypto.corp_id}]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
    params = {"msg_signature": envelope["MsgSignature"], "timestamp": timestamp, "nonce": nonce}
    return body, params


def _verify_params(crypto, echo_plain="echo-123"):
    from wechatpy.crypto import _get_signature
    from wechatpy.enterprise.crypto import PrpCrypto

    echostr = PrpCrypto(crypto.key).encrypt(echo_plain, crypto.corp_id).decode()
    timestamp, nonce = "1700000000", "n1"
    return {
        "msg_signature": _get_signature(TOKEN, timestamp, nonce, echostr),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": echostr,
    }


def test_url_verification_answers_the_decrypted_echostr(client, callback_settings):
    # when
    response = client.get("/wecom/callback/", _verify_params(callback_settings))

    # then
    assert response.status_code == 200
    assert response.content == b"echo-123"


def test_url_verification_with_a_bad_signature_is_refused_and_logged(
    client, callback_settings, caplog
):
    # given
    params = _verify_params(callback_settings)
    params["msg_signature"] = "0" * 40

    # when
    with caplog.at_level(logging.WARNING, logger="lightapps.web.wecom"):
        response = client.get("/wecom/callback/", params)

    # then
    assert response.status_code == 403
    assert b"echo-123" not in response.content
    assert "WeCom callback refused (InvalidSignatureException)" in caplog.text


CREATE_USER = """<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>
<ChangeType><![CDATA[create_user]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><Name><![CDATA[张三]]></Name>
<Department><![CDATA[2]]></Department></xml>"""


def test_a_contact_change_event_creates_the_person(client, callback_settings, wecom_contacts, tree):
    # given: 张三 was just added in WeCom
    wecom_contacts.add_user("zhangsan", "张三", [2])
    body, params = _encrypted(callback_settings, CREATE_USER.format(corp=wecom_contacts.corp_id))

    # when
    response = client.post(
        f"/wecom/callback/?{'&'.join(f'{k}={v}' for k, v in params.items())}",
        body,
        content_type="text/xml",
    )

    # then
    assert (response.status_code, response.content) == (200, b"success")
    person = Person.objects.get(wecom_userid="zhangsan")
    assert person.name == "张三"
    assert list(Membership.objects.filter(person=person).values_list("org_unit", flat=True)) == [
        tree["jny"].pk
    ]


def test_an_event_with_a_bad_signature_changes_nothing(client, callback_settings, wecom_contacts):
    # given: a valid encrypted body under a forged signature
    wecom_contacts.add_user("zhangsan", "张三", [2])
    body, params = _encrypted(callback_settings, CREATE_USER.format(corp=wecom_contacts.corp_id))
    params["msg_signature"] = "f" * 40

    # when
    response = client.post(
        f"/wecom/callback/?{'&'.join(f'{k}={v}' for k, v in params.items())}",
        body,
        content_type="text/xml",
    )

    # then
    assert response.status_code == 403
    assert not Person.objects.filter(wecom_userid="zhangsan").exists()
    assert wecom_contacts.calls("user/get") == []


def test_a_deleted_user_is_deactivated_not_deleted(
    client, callback_settings, wecom_contacts, people
):
    # given
    xml = CREATE_USER.format(corp=wecom_contacts.corp_id).replace("create_user", "delete_user")
    body, params = _encrypted(callback_settings, xml.replace("zhangsan", "owner"))

    # when
    response = client.post(
        f"/wecom/callback/?{'&'.join(f'{k}={v}' for k, v in params.items())}",
        body,
        content_type="text/xml",
    )

    # then
    assert response.status_code == 200
    owner = Person.objects.get(pk=people["owner"].pk)
    assert owner.is_active is False
