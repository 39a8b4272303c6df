"""The address where an officer records the decision on a procurement's match (issue 18), under the
procurement's own: /plans/<municipality>/<year>/<ref>/social/, in the namespace "plans"."""

from django.urls import path

from plans.paths import PROCUREMENT
from plans.social import decision_views

urlpatterns = [
    path(PROCUREMENT + "social/", decision_views.social_decision, name="social_decision"),
]
