"""The addresses of the matches pages of /social/<centre>/ (issue 18)."""

from django.urls import path

from plans.social import matches_views

urlpatterns: list = [
    path("<slug:centre>/matches/", matches_views.matches, name="matches"),
]
