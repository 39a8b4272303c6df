"""The centre's desk (issue 16; DESIGN §4: stable addresses): /centre/<centre>/<year>/ and below."""

from django.urls import path

from plans.centre import capacity_views, coordination_views, year_views

app_name = "centre"

urlpatterns = [
    path("<slug:centre>/<int:year>/", year_views.centre_year, name="year"),
    path("<slug:centre>/<int:year>/export.<str:extension>", year_views.year_export, name="year_export"),
    path("<slug:centre>/<int:year>/coordination/", coordination_views.coordination, name="coordination"),
    path(
        "<slug:centre>/<int:year>/coordination/create/",
        coordination_views.coordination_create,
        name="coordination_create",
    ),
    path(
        "<slug:centre>/<int:year>/coordination/settings/",
        coordination_views.coordination_settings,
        name="coordination_settings",
    ),
    path(
        "<slug:centre>/<int:year>/coordination/<int:group>/join/",
        coordination_views.coordination_join,
        name="coordination_join",
    ),
    path(
        "<slug:centre>/<int:year>/coordination/<int:group>/leave/<int:procurement>/",
        coordination_views.coordination_leave,
        name="coordination_leave",
    ),
    path(
        "<slug:centre>/<int:year>/coordination/<int:group>/dissolve/",
        coordination_views.coordination_dissolve,
        name="coordination_dissolve",
    ),
    path("<slug:centre>/<int:year>/capacity/", capacity_views.capacity, name="capacity"),
    path("<slug:centre>/<int:year>/capacity/edit/", capacity_views.capacity_edit, name="capacity_edit"),
    path(
        "<slug:centre>/<int:year>/capacity/assign/<int:procurement>/",
        capacity_views.capacity_assign,
        name="capacity_assign",
    ),
]
