from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from plans.exchange import views as exchange_views
from plans.register import views as plan_views

admin.site.site_header = "Upphandlingsplan"
admin.site.site_title = "Upphandlingsplan"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("plans/", include("plans.urls")),
    path("centre/", include("plans.centre.urls")),
    path("kommande/", include("plans.pipeline.urls")),
    path("social/", include("plans.social.urls")),
    # The open data's publication policy, which every OCDS package points to (issue 17).
    path("oppna-data/", exchange_views.open_data, name="open_data"),
    path("admin/", admin.site.urls),
]

# Uploaded files (imports, the board's minutes) are never served from MEDIA_URL: the minutes have their
# own address behind the plan's access check, and uploaded imports stay private to the centre.
