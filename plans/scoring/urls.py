from django.urls import path

from plans.paths import PLAN
from plans.scoring import views

urlpatterns = [
    path(PLAN + "rubric/", views.rubric_edit, name="rubric"),
]
