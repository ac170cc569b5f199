"""JS-SDK signatures for ww.register, against WeCom's documented example."""

import hashlib

from lightapps.wecom.jssdk import jsapi_signature


def test_the_signature_matches_wecoms_documented_example():
    # given: the example of WeCom's JS-SDK signature doc, with its published result
    ticket = (
        "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
    )

    # when
    signature = jsapi_signature(
        ticket=ticket,
        noncestr="Wm3WZYTPz0wzccnW",
        timestamp=1414587457,
        url="http://mp.weixin.qq.com?params=value",
    )

    # then
    assert signature == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"


def test_the_endpoint_signs_our_page_for_config_and_agent_config(client, wecom, people):
    # given
    client.force_login(people["owner"])
    page = "http://testserver/m/apps/facade/?x=1"

    # when
    response = client.get("/wecom/jssdk/signature/", {"url": page + "#part"})

    # then: both signatures verify with the fake's two tickets, the fragment left out
    body = response.json()
    assert (body["corpId"], body["agentId"]) == (wecom.corp_id, wecom.agent_id)
    for name, ticket in (("config", wecom.jsapi_ticket), ("agentConfig", wecom.agent_ticket)):
        part = body[name]
        raw = (
            f"jsapi_ticket={ticket}&noncestr={part['nonceStr']}"
            f"&timestamp={part['timestamp']}&url={page}"
        )
        assert part["signature"] == hashlib.sha1(raw.encode()).hexdigest()
    # and the tickets are fetched once, then cached per corp and agent
    client.get("/wecom/jssdk/signature/", {"url": page})
    assert len(wecom.calls("get_jsapi_ticket")) == 1
    assert len(wecom.calls("ticket/get")) == 1


def test_the_endpoint_signs_only_our_own_pages(client, wecom, people):
    # given
    client.force_login(people["owner"])

    # when
    response = client.get("/wecom/jssdk/signature/", {"url": "https://evil.example/page"})

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert wecom.calls("get_jsapi_ticket") == []


def test_the_endpoint_needs_a_login(client, wecom, db):
    # when
    response = client.get("/wecom/jssdk/signature/", {"url": "http://testserver/m/"})

    # then
    assert response.status_code == 401
    assert wecom.requests == []
