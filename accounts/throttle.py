"""Login limits that hold on every login path (site, admin, any later API).

Both hook ``django.contrib.auth.authenticate`` itself, so no login form can bypass them
(docs/decisions/0006-login-limits.md):

- django-axes locks out a (username, address) pair after a few failures, so a stranger
  guessing a learner's username from elsewhere cannot lock that learner out;
- ``AddressLimitBackend`` refuses an address after many failures across usernames (a
  generous limit: a school's NAT puts many learners behind one address).
"""

import ipaddress

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import render

from core.ratelimit import client_address, hit, within

SCOPE = "login-address"


def lockout_response(request, original_response=None, credentials=None):
    """The page for a refused login (axes' AXES_LOCKOUT_CALLABLE and the address limit)."""
    response = render(request, "registration/locked_out.html", status=429)
    response["Retry-After"] = "900"
    return response


class AddressLimitBackend:
    """Refuses every login from an address that failed too often, before any password check."""

    def authenticate(self, request, **credentials):
        if request is not None and not within(scope=SCOPE, key=client_address(request)):
            request.login_throttled = True
            raise PermissionDenied("too many failed logins from this address")
        return None

    def get_user(self, user_id):
        return None


@receiver(user_login_failed, dispatch_uid="accounts-count-failed-login-by-address")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and not getattr(request, "login_throttled", False):
        hit(scope=SCOPE, key=client_address(request))


class LoginThrottleMiddleware:
    """Turns a login refused by the address limit into the lockout page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "login_throttled", False):
            return lockout_response(request)
        return response


def client_ip(request) -> str | None:
    """The client address for axes, which stores it in an IP address column: None (not a
    made-up value) when there is none, as for force_login's bare request."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def normalised_username(request, credentials) -> str | None:
    """The username as axes records it: case and surrounding spaces do not make a new pair."""
    username = (credentials or {}).get("username")
    return username.strip().casefold()[:150] if username else username
