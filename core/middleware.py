"""Request guards that know nothing of the domain."""

from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
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


def _has_refused_form(context) -> bool:
    """A bound form or formset in ``context`` that was validated and has errors (never validates one itself)."""
    for value in (context or {}).values():
        if isinstance(value, BaseForm) and value.is_bound and value._errors:
            return True
        if isinstance(value, BaseFormSet) and value.is_bound and value._errors is not None:
            if any(value._errors) or value._non_form_errors:
                return True
    return False


class RefusedFormStatusMiddleware:
    """A refused form is answered 422 Unprocessable Content, never 200: every form of the site, one rule.

    viewflow's Turbo script (loaded by its pages, and kept by Turbo across the visits that follow)
    submits forms itself and throws away a 200 answer to a POST ("Form responses must redirect to
    another location"): the page would not change and the errors would never show. Turbo renders a
    4xx answer, and so does any browser without Turbo. Accepted forms redirect (post/redirect/get), so
    the rule is: a POST answered 200 by a template whose context holds a bound form or formset with
    errors becomes 422. A view rendering a form answers with a ``TemplateResponse`` (``render_to_response``,
    ``TemplateResponse``), which keeps its context for this check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 200
            and _has_refused_form(getattr(response, "context_data", None))
        ):
            response.status_code = 422
        return response
