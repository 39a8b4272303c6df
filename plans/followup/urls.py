from django.urls import path

from plans.followup import brief_views, radar_views, views
from plans.paths import PLAN, PROCUREMENT

urlpatterns = [
    path("radar/<int:procurement>/carry-over/", radar_views.carry_over, name="carry_over"),
    path(PLAN + "followup/", views.followup, name="followup"),
    path(PLAN + "followup/targets/", views.targets, name="targets"),
    path(PLAN + "brief/", brief_views.brief, name="brief"),
    path(PLAN + "brief.pdf", brief_views.brief_pdf, name="brief_pdf"),
    path(PROCUREMENT + "outcome/", views.outcome_edit, name="outcome"),
]
