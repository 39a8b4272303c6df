from django.urls import path

from . import (
    views,
    views_brief,
    views_calendar,
    views_followup,
    views_io,
    views_radar,
    views_review,
    views_summary,
)

app_name = "plans"

# Stable addresses (DESIGN §4): users bookmark them and mails link to them. Fixed words come before
# <ref>, and validation.RESERVED_REFS keeps a procurement from taking one of them.
PLAN = "<slug:municipality>/<int:year>/"
PROCUREMENT = PLAN + "<str:ref>/"

urlpatterns = [
    path("calendar/", views_calendar.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("radar/<int:procurement>/carry-over/", views_radar.carry_over, name="carry_over"),
    path(PLAN, views.PlanView.as_view(), name="plan"),
    path(PLAN + "new/", views.procurement_create, name="procurement_create"),
    path(PLAN + "rubric/", views.rubric_edit, name="rubric"),
    path(PLAN + "review/", views_review.review_queue, name="review"),
    path(PLAN + "review/summary/", views_summary.remiss_summary, name="remiss_summary"),
    path(PLAN + "review/summary.xlsx", views_summary.remiss_summary_xlsx, name="remiss_summary_xlsx"),
    path(PLAN + "changes/", views_review.plan_changes, name="changes"),
    path(PLAN + "manage/", views_review.plan_manage, name="manage"),
    path(PLAN + "minutes.pdf", views_review.plan_minutes, name="minutes"),
    path(PLAN + "followup/", views_followup.followup, name="followup"),
    path(PLAN + "followup/targets/", views_followup.targets, name="targets"),
    path(PLAN + "brief/", views_brief.brief, name="brief"),
    path(PLAN + "brief.pdf", views_brief.brief_pdf, name="brief_pdf"),
    path(PLAN + "export.<str:extension>", views_io.plan_export, name="export"),
    path(PLAN + "import/", views_io.import_start, name="import"),
    path(PLAN + "import/template.xlsx", views_io.import_template, name="import_template"),
    path(PLAN + "import/<int:job>/", views_io.import_job, name="import_job"),
    path(PLAN + "import/<int:job>/confirm/", views_io.import_confirm, name="import_confirm"),
    path(PROCUREMENT, views.procurement_detail, name="procurement"),
    path(PROCUREMENT + "edit/", views.procurement_edit, name="procurement_edit"),
    path(PROCUREMENT + "delete/", views.procurement_delete, name="procurement_delete"),
    path(PROCUREMENT + "flag/", views.procurement_flag, name="procurement_flag"),
    path(PROCUREMENT + "guidance/", views_review.give_guidance, name="guidance"),
    path(PROCUREMENT + "involvement/", views_review.request_involvement, name="involvement"),
    path(PROCUREMENT + "comments/", views_review.add_comment, name="comment"),
    path(PROCUREMENT + "comments/<int:comment>/answer/", views_review.answer_comment, name="answer"),
    path(PROCUREMENT + "confirm/", views_review.confirm_needs, name="confirm"),
    path(PROCUREMENT + "outcome/", views_followup.outcome_edit, name="outcome"),
]
