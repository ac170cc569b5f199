import pytest


@pytest.fixture(autouse=True)
def dev_login_from_the_test_client(settings):
    """The test client's host is `testserver`, not loopback: these tests sign in through the
    development login as if DEV_LOGIN=1 (the loopback rule has tests of its own)."""
    settings.DEV_LOGIN_ANY_ADDRESS = True
