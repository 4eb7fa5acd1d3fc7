"""Request guards that know nothing of the domain."""

from django.http import Http404

# Primary keys are 64-bit signed integers in PostgreSQL and SQLite.
MAX_ID = 2**63 - 1


class IdRangeMiddleware:
    """An id in a URL beyond the database's integers names no object: 404, before any view queries it.

    Django's ``<int:…>`` converter accepts any number of digits, and the query that follows would fail
    (``OverflowError`` on SQLite, a numeric-range error on PostgreSQL) with a server error instead.
    This holds for every route, viewflow's and the admin's included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404("id out of range")
        return None
