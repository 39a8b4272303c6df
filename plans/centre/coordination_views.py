"""Placeholder until the page is built (issue 16)."""

from django.http import Http404

from plans.centre.access import centre_access


def coordination(request, centre, year):
    centre_access(request, centre, year)
    raise Http404
