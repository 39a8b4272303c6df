"""The addresses of the reserve pages of /social/<centre>/ (issue 18)."""

from django.urls import path

from plans.social import reserve_views

RESERVE = "<slug:centre>/labour-reserve/"

urlpatterns: list = [
    path(RESERVE, reserve_views.labour_reserve, name="labour_reserve"),
    path(RESERVE + "<slug:municipality>/new/", reserve_views.labour_reserve_new, name="labour_reserve_new"),
    path(
        RESERVE + "<slug:municipality>/<int:year>/edit/",
        reserve_views.labour_reserve_edit,
        name="labour_reserve_edit",
    ),
]
