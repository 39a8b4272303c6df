from django.urls import path

from plans.orders import import_views, views
from plans.paths import PLAN

ORDERS = PLAN + "orders/"

urlpatterns = [
    path(ORDERS, views.order_list, name="orders"),
    path(ORDERS + "new/", views.order_create, name="order_create"),
    path(ORDERS + "import/", import_views.order_import, name="order_import"),
    path(ORDERS + "<int:order>/", views.order_detail, name="order"),
    path(ORDERS + "<int:order>/edit/", views.order_edit, name="order_edit"),
]
