"""The addresses of the matches pages of /social/<centre>/ (issue 18)."""

from django.urls import path

urlpatterns: list = []
