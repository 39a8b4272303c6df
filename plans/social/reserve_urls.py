"""The addresses of the reserve pages of /social/<centre>/ (issue 18)."""

from django.urls import path

urlpatterns: list = []
