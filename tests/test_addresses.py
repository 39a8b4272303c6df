"""
Every address of the site stays where it is (DESIGN §4: users bookmark them and mails link to them).

The table below was written from the URLconf before the code moved into one package per part of the
work (issue 13). The test walks the URLconf as it is now and compares: a name that disappears, moves
to another path, or appears without being added here fails, naming it. Django's admin is left out
(its addresses are Django's).
"""

from django.urls import URLPattern, URLResolver, get_resolver

ADDRESSES = {
    "home": "",
    "login": "accounts/login/",
    "logout": "accounts/logout/",
    "set_language": "i18n/setlang/",
    "open_data": "oppna-data/",
    "plans:calendar_link": "plans/calendar/",
    "plans:calendar_feed": "plans/calendar/<str:token>.ics",
    "plans:carry_over": "plans/radar/<int:procurement>/carry-over/",
    "plans:plan": "plans/<slug:municipality>/<int:year>/",
    "plans:procurement_create": "plans/<slug:municipality>/<int:year>/new/",
    "plans:rubric": "plans/<slug:municipality>/<int:year>/rubric/",
    "plans:review": "plans/<slug:municipality>/<int:year>/review/",
    "plans:remiss_summary": "plans/<slug:municipality>/<int:year>/review/summary/",
    "plans:remiss_summary_xlsx": "plans/<slug:municipality>/<int:year>/review/summary.xlsx",
    "plans:changes": "plans/<slug:municipality>/<int:year>/changes/",
    "plans:manage": "plans/<slug:municipality>/<int:year>/manage/",
    "plans:minutes": "plans/<slug:municipality>/<int:year>/minutes.pdf",
    "plans:followup": "plans/<slug:municipality>/<int:year>/followup/",
    "plans:targets": "plans/<slug:municipality>/<int:year>/followup/targets/",
    "plans:brief": "plans/<slug:municipality>/<int:year>/brief/",
    "plans:brief_pdf": "plans/<slug:municipality>/<int:year>/brief.pdf",
    "plans:export": "plans/<slug:municipality>/<int:year>/export.<str:extension>",
    "plans:import": "plans/<slug:municipality>/<int:year>/import/",
    "plans:import_template": "plans/<slug:municipality>/<int:year>/import/template.xlsx",
    "plans:import_job": "plans/<slug:municipality>/<int:year>/import/<int:job>/",
    "plans:import_confirm": "plans/<slug:municipality>/<int:year>/import/<int:job>/confirm/",
    "plans:procurement": "plans/<slug:municipality>/<int:year>/<str:ref>/",
    "plans:procurement_edit": "plans/<slug:municipality>/<int:year>/<str:ref>/edit/",
    "plans:procurement_delete": "plans/<slug:municipality>/<int:year>/<str:ref>/delete/",
    "plans:procurement_flag": "plans/<slug:municipality>/<int:year>/<str:ref>/flag/",
    "plans:guidance": "plans/<slug:municipality>/<int:year>/<str:ref>/guidance/",
    "plans:involvement": "plans/<slug:municipality>/<int:year>/<str:ref>/involvement/",
    "plans:comment": "plans/<slug:municipality>/<int:year>/<str:ref>/comments/",
    "plans:answer": "plans/<slug:municipality>/<int:year>/<str:ref>/comments/<int:comment>/answer/",
    "plans:confirm": "plans/<slug:municipality>/<int:year>/<str:ref>/confirm/",
    "plans:outcome": "plans/<slug:municipality>/<int:year>/<str:ref>/outcome/",
    "plans:orders": "plans/<slug:municipality>/<int:year>/orders/",
    "plans:order_create": "plans/<slug:municipality>/<int:year>/orders/new/",
    "plans:order": "plans/<slug:municipality>/<int:year>/orders/<int:order>/",
    "plans:order_edit": "plans/<slug:municipality>/<int:year>/orders/<int:order>/edit/",
    "plans:order_import": "plans/<slug:municipality>/<int:year>/orders/import/",
    "plans:goals": "plans/<slug:municipality>/goals/",
    "plans:goal_create": "plans/<slug:municipality>/goals/new/",
    "plans:goal_edit": "plans/<slug:municipality>/goals/<int:goal>/edit/",
    "plans:goal_delete": "plans/<slug:municipality>/goals/<int:goal>/delete/",
    # The centre's desk (issue 16).
    "centre:year": "centre/<slug:centre>/<int:year>/",
    "centre:year_export": "centre/<slug:centre>/<int:year>/export.<str:extension>",
    "centre:capacity": "centre/<slug:centre>/<int:year>/capacity/",
    "centre:capacity_edit": "centre/<slug:centre>/<int:year>/capacity/edit/",
    "centre:capacity_assign": "centre/<slug:centre>/<int:year>/capacity/assign/<int:procurement>/",
    "centre:coordination": "centre/<slug:centre>/<int:year>/coordination/",
    "centre:coordination_create": "centre/<slug:centre>/<int:year>/coordination/create/",
    "centre:coordination_settings": "centre/<slug:centre>/<int:year>/coordination/settings/",
    "centre:coordination_join": "centre/<slug:centre>/<int:year>/coordination/<int:group>/join/",
    "centre:coordination_leave": (
        "centre/<slug:centre>/<int:year>/coordination/<int:group>/leave/<int:procurement>/"
    ),
    "centre:coordination_dissolve": "centre/<slug:centre>/<int:year>/coordination/<int:group>/dissolve/",
    # Kommande upphandlingar (issue 17): suppliers bookmark searches, feed readers follow them, and the
    # alerts' mails link to the confirmation and the unsubscribe pages for days after they are sent.
    "pipeline:coming": "kommande/",
    "pipeline:feed": "kommande/feed.atom",
    "pipeline:export": "kommande/export.<str:extension>",
    "pipeline:subscribe": "kommande/alerts/",
    "pipeline:subscribed": "kommande/alerts/sent/",
    "pipeline:confirm": "kommande/alerts/confirm/<str:token>/",
    "pipeline:unsubscribe": "kommande/alerts/unsubscribe/<str:token>/",
    # Social enterprises, their matches and the labour reserve (issue 18).
    "plans:social_decision": "plans/<slug:municipality>/<int:year>/<str:ref>/social/",
    "social:enterprises": "social/<slug:centre>/enterprises/",
    "social:enterprise_new": "social/<slug:centre>/enterprises/new/",
    "social:enterprise_edit": "social/<slug:centre>/enterprises/<int:pk>/edit/",
    "social:enterprise_delete": "social/<slug:centre>/enterprises/<int:pk>/delete/",
    "social:enterprise_import": "social/<slug:centre>/enterprises/import/",
    "social:enterprises_export": "social/<slug:centre>/enterprises/export.<str:extension>",
    "social:matches": "social/<slug:centre>/matches/",
    "social:labour_reserve": "social/<slug:centre>/labour-reserve/",
    "social:labour_reserve_new": "social/<slug:centre>/labour-reserve/<slug:municipality>/new/",
    "social:labour_reserve_edit": "social/<slug:centre>/labour-reserve/<slug:municipality>/<int:year>/edit/",
}


def named_routes(resolver=None, prefix="", namespace=""):
    """{"namespace:name": route} of every named pattern, the routes of the includes joined."""
    resolver = resolver or get_resolver()
    routes = {}
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes.update(named_routes(entry, route, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            routes[namespace + entry.name] = route
    return routes


def test_every_address_stays_where_it_was():
    now = named_routes()
    moved = {name: (path, now[name]) for name, path in ADDRESSES.items() if name in now and now[name] != path}
    assert moved == {}, "moved (before, now)"
    assert sorted(set(ADDRESSES) - set(now)) == [], "gone"
    assert sorted(set(now) - set(ADDRESSES)) == [], "new: add them to ADDRESSES"


def test_the_walk_sees_nested_includes():
    """The walk joins an include's route to its patterns' (else every plan address would be missed)."""
    assert named_routes()["plans:outcome"].startswith("plans/<slug:municipality>/")
