"""/kommande/: the coming procurements, public (DESIGN §4: stable addresses; a search's address holds it)."""

from django.urls import path

from plans.pipeline import feeds, views

app_name = "pipeline"

urlpatterns = [
    path("", views.coming, name="coming"),
    path("feed.atom", feeds.coming_feed, name="feed"),
    path("export.<str:extension>", views.export, name="export"),
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/sent/", views.subscribed, name="subscribed"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
