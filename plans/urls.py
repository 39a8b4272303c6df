from django.urls import path

from . import views

app_name = "plans"

# Stable addresses (DESIGN §4): users bookmark them and mails link to them. Fixed words come before
# <ref>, and validation.RESERVED_REFS keeps a procurement from taking one of them.
urlpatterns = [
    path("<slug:municipality>/<int:year>/", views.PlanView.as_view(), name="plan"),
    path("<slug:municipality>/<int:year>/new/", views.procurement_create, name="procurement_create"),
    path("<slug:municipality>/<int:year>/<str:ref>/", views.procurement_detail, name="procurement"),
    path("<slug:municipality>/<int:year>/<str:ref>/edit/", views.procurement_edit, name="procurement_edit"),
    path(
        "<slug:municipality>/<int:year>/<str:ref>/delete/",
        views.procurement_delete,
        name="procurement_delete",
    ),
]
