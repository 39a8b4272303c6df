from django.urls import path

from plans.paths import PLAN, PROCUREMENT
from plans.remiss import summary_views, views

urlpatterns = [
    path(PLAN + "review/", views.review_queue, name="review"),
    path(PLAN + "review/summary/", summary_views.remiss_summary, name="remiss_summary"),
    path(PLAN + "review/summary.xlsx", summary_views.remiss_summary_xlsx, name="remiss_summary_xlsx"),
    path(PLAN + "changes/", views.plan_changes, name="changes"),
    path(PLAN + "manage/", views.plan_manage, name="manage"),
    path(PLAN + "minutes.pdf", views.plan_minutes, name="minutes"),
    path(PROCUREMENT + "guidance/", views.give_guidance, name="guidance"),
    path(PROCUREMENT + "involvement/", views.request_involvement, name="involvement"),
    path(PROCUREMENT + "comments/", views.add_comment, name="comment"),
    path(PROCUREMENT + "comments/<int:comment>/answer/", views.answer_comment, name="answer"),
    path(PROCUREMENT + "confirm/", views.confirm_needs, name="confirm"),
]
