"""Who is acting, from where: set per web request by the middleware, read when an event is written."""

from contextvars import ContextVar
from dataclasses import dataclass

from accounts.throttle import client_ip

from .access import access_denied_record


@dataclass(frozen=True)
class RequestContext:
    user: object | None
    ip: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("sksentra_audit_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


class AuditContextMiddleware:
    """Remember the acting user, IP and user agent for the events and history rows of this request;
    record a refusal (403) of a signed-in user as an ``ACCESS_DENIED`` event, folded (``audit.access``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(
            RequestContext(
                user=getattr(request, "user", None),
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                access_denied_record(request, response)
            return response
        finally:
            _current.reset(token)


class acting_as:
    """Outside a web request (commands, demo data, tests): attribute what happens to ``user``."""

    def __init__(self, user):
        self.user = user
        self._token = None

    def __enter__(self):
        outer = _current.get()
        self._token = _current.set(RequestContext(user=self.user, ip=getattr(outer, "ip", None),
                                                  user_agent=getattr(outer, "user_agent", "")))
        return self

    def __exit__(self, *exc):
        _current.reset(self._token)
        return False
