from django.urls import path

from plans.paths import PLAN, PROCUREMENT
from plans.register import views

urlpatterns = [
    path(PLAN, views.PlanView.as_view(), name="plan"),
    path(PLAN + "new/", views.procurement_create, name="procurement_create"),
    path(PROCUREMENT, views.procurement_detail, name="procurement"),
    path(PROCUREMENT + "edit/", views.procurement_edit, name="procurement_edit"),
    path(PROCUREMENT + "delete/", views.procurement_delete, name="procurement_delete"),
    path(PROCUREMENT + "flag/", views.procurement_flag, name="procurement_flag"),
]
