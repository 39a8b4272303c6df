from django.urls import path

from . import views

app_name = "plans"

# Stable addresses (DESIGN §4): users bookmark them and mails link to them. Fixed words come before
# <ref>, and validation.RESERVED_REFS keeps a procurement from taking one of them.
PLAN = "<slug:municipality>/<int:year>/"
PROCUREMENT = PLAN + "<str:ref>/"

urlpatterns = [
    path(PLAN, views.PlanView.as_view(), name="plan"),
    path(PLAN + "new/", views.procurement_create, name="procurement_create"),
    path(PLAN + "rubric/", views.rubric_edit, name="rubric"),
    path(PROCUREMENT, views.procurement_detail, name="procurement"),
    path(PROCUREMENT + "edit/", views.procurement_edit, name="procurement_edit"),
    path(PROCUREMENT + "delete/", views.procurement_delete, name="procurement_delete"),
    path(PROCUREMENT + "flag/", views.procurement_flag, name="procurement_flag"),
]
