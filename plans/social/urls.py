"""The addresses of the social enterprises' register, its matches and the labour reserve (issue 18):
/social/<centre>/…, stable (README). One urls module per part, all in the namespace "social"."""

from django.urls import include, path

app_name = "social"

urlpatterns = [
    path("", include("plans.social.register_urls")),
    path("", include("plans.social.matches_urls")),
    path("", include("plans.social.reserve_urls")),
]
