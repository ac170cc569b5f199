"""The WeCom client: our host, a shared token, bounded refreshes, a timeout."""

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from lightapps.wecom.client import WeComTokenError, get_client


def test_the_token_is_fetched_once_from_our_host_and_shared_between_clients(wecom):
    # given: two clients, as two processes would make
    first, second = get_client(), get_client()

    # when: both call WeCom
    wecom.add_user("zhangsan", "张三", [1])
    assert first.user.get("zhangsan")["name"] == "张三"
    assert second.user.get("zhangsan")["name"] == "张三"

    # then: one gettoken, on the fake (not on qyapi.weixin.qq.com)
    assert len(wecom.calls("gettoken")) == 1
    assert len(wecom.calls("user/get")) == 2


def test_an_expired_token_is_refreshed_once_and_the_call_goes_through(wecom):
    # given: a token in use, then expired by the server
    wecom.add_user("zhangsan", "张三", [1])
    client = get_client()
    client.user.get("zhangsan")
    wecom.expire_tokens()

    # when
    answer = get_client().user.get("zhangsan")

    # then: 42001, a new token, the same call again
    assert answer["userid"] == "zhangsan"
    assert len(wecom.calls("gettoken")) == 2
    assert len(wecom.calls("user/get")) == 3


def test_a_server_that_keeps_expiring_tokens_gives_a_clear_error_not_recursion(wecom):
    # given: every token expires as soon as it is issued
    wecom.add_user("zhangsan", "张三", [1])
    original = wecom._answer

    def expire_everything(method, name, params, body):
        answer = original(method, name, params, body)
        if name == "gettoken":
            wecom.expire_tokens()
        return answer

    wecom._answer = expire_everything

    # when / then
    with pytest.raises(WeComTokenError) as info:
        get_client().user.get("zhangsan")
    assert info.value.errcode == 42001
    assert "WECOM_SECRET" in info.value.errmsg
    assert len(wecom.calls("gettoken")) == 3  # the first token and two refreshes, no more


def test_a_wrong_secret_is_refused_by_gettoken(wecom, settings):
    # given
    settings.WECOM_SECRET = "wrong"

    # when / then
    with pytest.raises(WeChatClientException) as info:
        get_client().user.get("zhangsan")
    assert info.value.errcode == 40001


def test_a_slow_server_times_out_instead_of_hanging(wecom, settings):
    # given: the fake answers user/get after 1 s; we wait 0.3 s
    settings.WECOM_TIMEOUT = 0.3
    wecom.add_user("zhangsan", "张三", [1])
    wecom.delay_next("user/get", 1.0)

    # when / then
    with pytest.raises(requests.Timeout):
        get_client().user.get("zhangsan")
