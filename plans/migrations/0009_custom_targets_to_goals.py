"""The follow-up's custom targets become the municipality's goals (issue 14: one list, not two).

Every custom target (a Target without a key figure) becomes a Goal of its plan's municipality: its label
the title ("Mål" when it had none), its value the target value, its unit. Of several plans' targets of
one title the newest plan's gives the goal, with the latest figure reached and its plan's year. A
municipality that already has a goal of that title keeps it as it is. The custom targets are then
removed; the targets of key figures stay.

Backwards: the goals stay where they are (they may have been edited and linked since) and no custom
target is brought back; the reverse only lets the migration be unapplied."""

from django.db import migrations

DEFAULT_TITLE = "Mål"


def custom_targets_to_goals(apps, schema_editor):
    Target = apps.get_model("plans", "Target")
    Goal = apps.get_model("plans", "Goal")
    custom = Target.objects.filter(key="").select_related("plan").order_by("-plan__year", "-pk")
    existing = {(m, title.casefold()) for m, title in Goal.objects.values_list("municipality_id", "title")}
    # One goal per municipality and title, from that title's targets, newest plan first.
    goals = {}
    for target in custom:
        # The goal's title holds 200 characters, as the label did; whitespace is tidied as the form does.
        title = " ".join(target.label.split())[:200] or DEFAULT_TITLE
        key = (target.plan.municipality_id, title.casefold())
        if key in existing:
            continue
        goal = goals.setdefault(
            key,
            Goal(
                municipality_id=key[0],
                title=title,
                target_value=target.value,
                unit=target.unit[:30],
            ),
        )
        # The latest figure reached, from the newest plan that has one.
        if goal.reached is None and target.actual is not None:
            goal.reached, goal.reached_year = target.actual, target.plan.year
    Goal.objects.bulk_create(goals.values())
    custom.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_goals_and_experts"),
    ]

    operations = [
        migrations.RunPython(custom_targets_to_goals, migrations.RunPython.noop),
    ]
