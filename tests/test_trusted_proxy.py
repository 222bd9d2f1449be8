"""Forwarded headers are believed only from the proxy (FORWARDED_ALLOW_IPS)."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.test import Client

from config.client_ip import client_ip

from .helpers import PASSWORD


@pytest.fixture
def behind_balancer(settings):
    settings.BEHIND_PROXY = True
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/24"]
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def sign_in(peer, forwarded_for, password="wrong"):
    return Client().post(
        "/accounts/login/",
        {"username": "alice", "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_an_instance_reached_directly_takes_the_peer_not_its_forwarded_for(alice, behind_balancer):
    # A client that reaches an instance around the balancer cannot pick its address:
    # each try "from" a new address still counts against the peer it came from.
    statuses = [sign_in("198.51.100.66", f"203.0.113.{n}").status_code for n in range(6)]
    assert statuses[-1] == 429
    assert AccessAttempt.objects.get(username="alice").ip_address == "198.51.100.66"
    # Through the balancer, the forwarded address is the client, locked out or not.
    assert sign_in("10.0.0.5", "192.0.2.10", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_forwarded_proto_from_an_untrusted_peer_is_not_https(behind_balancer):
    client = Client()
    direct = client.get("/healthz/", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_PROTO="https")
    via_proxy = client.get("/healthz/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")
    assert direct.wsgi_request.is_secure() is False
    assert via_proxy.wsgi_request.is_secure() is True


def test_any_peer_is_trusted_only_when_configured_so(settings, rf):
    from config.middleware import TrustedProxyMiddleware

    settings.BEHIND_PROXY = True
    settings.FORWARDED_ALLOW_IPS = ["*"]
    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.7")
    TrustedProxyMiddleware(lambda r: None)(request)
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    "sent", ["", "198.51.100.7, ", "198.51.100.7,192.0.2.1, ", "not an address, 192.0.2.1, "]
)
def test_whatever_a_client_sends_as_forwarded_for_it_counts_as_the_address_the_proxy_saw(
    rf, behind_balancer, sent
):
    # The balancer appends the address it saw; however many entries the client put before
    # it, with or without spaces, the client is throttled under that last one.
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=sent + "203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_request_without_forwarded_for_counts_as_its_peer(rf, behind_balancer):
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.5")) == "10.0.0.5"
