from django.urls import path

from plans.goals import views

GOALS = "<slug:municipality>/goals/"

urlpatterns = [
    path(GOALS, views.goal_list, name="goals"),
    path(GOALS + "new/", views.goal_create, name="goal_create"),
    path(GOALS + "<int:goal>/edit/", views.goal_edit, name="goal_edit"),
    path(GOALS + "<int:goal>/delete/", views.goal_delete, name="goal_delete"),
]
