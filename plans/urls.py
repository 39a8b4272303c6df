"""The plans' addresses (DESIGN §4: stable; users bookmark them and mails link to them), one urls module
per part of the work, all in the namespace "plans". The register comes last: its procurement address
(<ref>/) would otherwise be asked before the fixed words of the other parts (review/, followup/ …)."""

from django.urls import include, path

app_name = "plans"

urlpatterns = [
    path("", include("plans.scoring.urls")),
    path("", include("plans.remiss.urls")),
    path("", include("plans.followup.urls")),
    path("", include("plans.exchange.urls")),
    path("", include("plans.orders.urls")),
    path("", include("plans.goals.urls")),
    path("", include("plans.social.decision_urls")),
    path("", include("plans.register.urls")),
]
