"""Kommande upphandlingar (issue 17): the public page, its feed and files, and suppliers' alerts. No login:
everything here is what the public may see (plans.pipeline.search reads it through the Disclosure PUBLIC)."""

import json

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from plans.centre import cpv
from plans.exchange import ocds
from plans.models import Category, Procedure, Procurement
from plans.pipeline import alerts, exports
from plans.pipeline.search import MAX_SEARCH, PAGE_SIZE, clean_words, described, saved_query, search
from plans.register.disclosure import PUBLIC

EXPORTS = ("csv", "json")


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)


def coming(request):
    """Every coming procurement of the public plans, searched and filtered, 50 a page."""
    filterset, ignored = search(request.GET)
    paginator = Paginator(filterset.qs.select_related("plan__municipality"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = _rows(page.object_list)
    query = saved_query(filterset)
    words = request.GET.get("q", "")
    context = {
        "filter": filterset,
        "ignored": ignored,
        "page": page,
        "pages": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "rows": rows,
        "query": query,
        "search": described(filterset),
        # The filters other than the words: the folded filters open, and their summary counts them.
        "filters_set": sum(1 for name in filterset.filters if name != "q" and request.GET.get(name)),
        "shortened": len(" ".join(words.split())) > MAX_SEARCH and bool(clean_words(words)),
        "subscribe_form": SubscribeForm(initial={"query": query}),
    }
    return render(request, "plans/pipeline/coming.html", context)


def _rows(procurements) -> list[dict]:
    """The page's rows as the template writes them: every label looked up once a page, not once a row."""
    categories, procedures = dict(Category.choices), dict(Procedure.choices)
    categories = {key: str(label) for key, label in categories.items()}
    procedures = {key: str(label) for key, label in procedures.items()}
    months = [str(MONTHS[number]) for number in range(1, 13)]
    rows = []
    for procurement in procurements:
        plan = procurement.plan
        advertised = procurement.planned_advertisement
        rows.append(
            {
                "title": procurement.title,
                "ref": procurement.ref,
                "url": Procurement.address(plan.get_absolute_url(), procurement.ref),
                "municipality": plan.municipality.name,
                "draft": plan.adopted_on is None,
                "value": PUBLIC.value_text(procurement),
                "advertised": advertised.isoformat(),
                "advertised_text": f"{advertised.day} {months[advertised.month - 1]} {advertised.year}",
                "category": categories.get(procurement.category, procurement.category),
                "procedure": procedures.get(procurement.procedure, procurement.procedure),
                "cpv": procurement.cpv,
                "cpv_label": cpv.label(procurement.cpv),
                "reserved": procurement.reserved_contract,
                "lots": procurement.lots,
            }
        )
    return rows


@require_POST
def subscribe(request):
    """Subscribe an address to a search: the same answer whatever the address's state (it reveals nothing)."""
    form = SubscribeForm(request.POST)
    filterset, _ignored = search(request.POST.get("query", ""))
    query = saved_query(filterset)
    if form.is_valid():
        try:
            alerts.subscribe(email=form.cleaned_data["email"], query=query)
        except alerts.Refused as refused:
            form.add_error("email", str(refused))
        else:
            return redirect(reverse("pipeline:subscribed") + (f"?{query}" if query else ""))
    return render(
        request,
        "plans/pipeline/subscribe.html",
        {"form": form, "search": described(filterset), "query": query},
        status=400,
    )


def subscribed(request):
    filterset, _ignored = search(request.GET)
    return render(
        request,
        "plans/pipeline/subscribed.html",
        {"search": described(filterset), "query": saved_query(filterset), "days": alerts.CONFIRM_DAYS},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link in the confirmation mail shows what it confirms; the button confirms (a mail scanner that
    follows links confirms nothing)."""
    if request.method == "POST":
        state, subscription = alerts.confirm(token)
    else:
        state, subscription = alerts.confirmation_state(token)
    return _link_page(request, "plans/pipeline/confirm.html", state, subscription, token)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every mail shows the alert and a button that ends it (a mail scanner that follows links
    ends nothing); the mail program's one-click unsubscribe (List-Unsubscribe-Post, RFC 8058) posts here and
    ends it at once. No CSRF token: the signed link is the proof, and a mail program has none."""
    if request.method == "POST":
        state, subscription = alerts.unsubscribe(token)
        ended = True
    else:
        state, subscription = alerts.unsubscribe_state(token)
        ended = False
    return _link_page(request, "plans/pipeline/unsubscribe.html", state, subscription, token, ended=ended)


def _link_page(request, template, state, subscription, token, **extra):
    search_text, query = [], ""
    if subscription is not None:
        filterset, _ignored = search(subscription.query)
        search_text, query = described(filterset), subscription.query
    status = 400 if state in (alerts.LinkState.INVALID, alerts.LinkState.EXPIRED) else 200
    context = {
        "state": state,
        "subscription": subscription,
        "search": search_text,
        "query": query,
        "token": token,
        "days": alerts.CONFIRM_DAYS,
        **extra,
    }
    return render(request, template, context, status=status)


def export(request, extension):
    """The search as CSV (Swedish or ?lang=en) or as an OCDS release package: every match, not one page."""
    if extension not in EXPORTS:
        raise Http404
    filterset, _ignored = search(request.GET)
    if extension == "json":
        procurements = ocds.with_release_data(filterset.qs)[: exports.MAX_ROWS]
        package = ocds.pipeline_package(
            procurements=procurements,
            uri=alerts.link(request.get_full_path()),
            published=timezone.now(),
        )
        content = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    else:
        language = request.GET.get("lang") or translation.get_language() or "sv"
        language = "en" if language.startswith("en") else "sv"
        content = exports.pipeline_csv(
            filterset.qs.select_related("plan__municipality"), language=language, site_url=alerts.link("")
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kommande-upphandlingar.{extension}"'
    return response
