"""The municipality's goals (issue 14): read by its members and its centre's staff, kept by the plan
administrators. Procurements and orders name the goals they serve; the follow-up and the board brief show,
per goal, how far those procurements have come."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from plans.goals import services
from plans.goals.display import figure_text
from plans.goals.forms import DUPLICATE_TITLE, GoalDeleteForm, GoalForm
from plans.goals.queries import goals_access, newest_plan
from plans.register.fields import refuse_stale

STALE_EDIT = gettext_lazy(
    "Someone else saved this goal while you were editing it. Nothing of yours was saved. "
    "Check the goal below; save again to replace theirs with yours."
)


@require_safe
def goal_list(request, municipality):
    """The goals, each with how many procurements and orders serve it and a link to the plan page
    filtered by it (the newest plan the reader may see)."""
    ga = goals_access(request, municipality)
    plan = newest_plan(request.user, ga.municipality)
    goals = list(ga.goals())
    for goal in goals:
        goal.target_text = figure_text(goal.target_value, goal.unit)
        goal.reached_text = figure_text(goal.reached, goal.unit)
    context = {"ga": ga, "municipality": ga.municipality, "goals": goals, "plan": plan}
    return render(request, "plans/goals/goals.html", context)


def _list(ga):
    return redirect("plans:goals", municipality=ga.municipality.slug)


@require_http_methods(["GET", "POST"])
def goal_create(request, municipality):
    ga = goals_access(request, municipality)
    ga.require_manage()
    form = GoalForm(request.POST or None, municipality=ga.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(municipality=ga.municipality, data=form.cleaned_data)
        except services.DuplicateTitle:
            form.add_error("title", DUPLICATE_TITLE)
        else:
            messages.success(request, _("The goal “%(title)s” was added.") % {"title": goal.title})
            return _list(ga)
    context = {"ga": ga, "municipality": ga.municipality, "form": form, "creating": True}
    return render(request, "plans/goals/goal_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def goal_edit(request, municipality, goal):
    ga = goals_access(request, municipality)
    ga.require_manage()
    goal = ga.goal(goal)
    # The form edits a copy, so that the page's heading keeps the saved title while the form shows a bad one.
    form = GoalForm(request.POST or None, instance=copy.copy(goal), municipality=ga.municipality)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            saved = services.goal_update(goal=goal, data=data, expected_version=form.cleaned_data["version"])
        except services.StaleGoal as stale:
            if stale.current is None:
                messages.error(request, _("Someone else removed this goal. Nothing was saved."))
                return _list(ga)
            refuse_stale(form, stale.current.version, STALE_EDIT)
        except services.DuplicateTitle:
            form.add_error("title", DUPLICATE_TITLE)
        else:
            messages.success(request, _("The goal “%(title)s” was saved.") % {"title": saved.title})
            return _list(ga)
    context = {"ga": ga, "municipality": ga.municipality, "form": form, "goal": goal}
    return render(request, "plans/goals/goal_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def goal_delete(request, municipality, goal):
    """Removing a goal asks first, and says how many procurements and orders name it: the goal goes,
    and with it those links, while the procurements and orders stay as they are. A plan administrator
    removes a goal the council has dropped or replaced, and the procurements that served it are still
    wanted, so removal is not refused; but it is never silent. Were links made, or the goal edited, since
    the question was asked, nothing is removed and the question is asked again with the new numbers."""
    ga = goals_access(request, municipality)
    ga.require_manage()
    goal = ga.goal(goal)
    links = services.goal_links(goal)
    status, problem = 200, None
    if request.method == "POST":
        form = GoalDeleteForm(request.POST)
        if form.is_valid():
            try:
                services.goal_delete(
                    goal=goal,
                    expected_version=form.cleaned_data["version"],
                    expected_links=form.cleaned_data["links"],
                )
            except services.StaleGoal as stale:
                if stale.current is None:
                    messages.info(request, _("Someone else removed this goal already."))
                    return _list(ga)
                problem = _(
                    "Someone else changed this goal since you asked to remove it. Nothing was removed."
                )
                goal = stale.current
            except services.LinksChanged as changed:
                links = changed.links
                problem = _(
                    "Procurements or orders were linked to this goal, or unlinked, since you asked to remove "
                    "it. Nothing was removed. Check the numbers below."
                )
            else:
                messages.success(request, _("The goal “%(title)s” was removed.") % {"title": goal.title})
                return _list(ga)
        else:
            problem = _("The form came without what it was built from. Nothing was removed: confirm again.")
        status = 400
    form = GoalDeleteForm(initial={"version": goal.version, "links": links.total})
    context = {
        "ga": ga,
        "municipality": ga.municipality,
        "goal": goal,
        "links": links,
        "form": form,
        "problem": problem,
    }
    return render(request, "plans/goals/goal_delete.html", context, status=status)
