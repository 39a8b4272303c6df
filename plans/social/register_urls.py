"""The addresses of the register pages of /social/<centre>/ (issue 18)."""

from django.urls import path

from plans.social import register_views

ENTERPRISES = "<slug:centre>/enterprises/"

urlpatterns: list = [
    path(ENTERPRISES, register_views.enterprise_list, name="enterprises"),
    path(ENTERPRISES + "new/", register_views.enterprise_create, name="enterprise_new"),
    path(ENTERPRISES + "<int:pk>/edit/", register_views.enterprise_edit, name="enterprise_edit"),
    path(ENTERPRISES + "<int:pk>/delete/", register_views.enterprise_delete, name="enterprise_delete"),
    path(ENTERPRISES + "import/", register_views.enterprise_import, name="enterprise_import"),
    path(
        ENTERPRISES + "export.<str:extension>", register_views.enterprises_export, name="enterprises_export"
    ),
]
