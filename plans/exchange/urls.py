from django.urls import path

from plans.exchange import calendar_views, views
from plans.paths import PLAN

urlpatterns = [
    path("calendar/", calendar_views.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path(PLAN + "export.<str:extension>", views.plan_export, name="export"),
    path(PLAN + "import/", views.import_start, name="import"),
    path(PLAN + "import/template.xlsx", views.import_template, name="import_template"),
    path(PLAN + "import/<int:job>/", views.import_job, name="import_job"),
    path(PLAN + "import/<int:job>/confirm/", views.import_confirm, name="import_confirm"),
]
