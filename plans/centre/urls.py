"""The centre's desk (issue 16; DESIGN §4: stable addresses): /centre/<centre>/<year>/ and below."""

from django.urls import path

from plans.centre import capacity_views, coordination_views, year_views

app_name = "centre"

urlpatterns = [
    path("<slug:centre>/<int:year>/", year_views.centre_year, name="year"),
    path("<slug:centre>/<int:year>/coordination/", coordination_views.coordination, name="coordination"),
    path("<slug:centre>/<int:year>/capacity/", capacity_views.capacity, name="capacity"),
]
