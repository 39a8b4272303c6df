from django.db import migrations, models


def keep_the_first_request(apps, schema_editor):
    """Requests made twice before the constraint: the first of each politician and procurement stays."""
    EarlyInvolvement = apps.get_model("plans", "EarlyInvolvement")
    seen = set()
    duplicates = []
    for pk, procurement_id, user_id in (
        EarlyInvolvement.objects.filter(user__isnull=False)
        .order_by("created_at", "pk")
        .values_list("pk", "procurement_id", "user_id")
    ):
        if (procurement_id, user_id) in seen:
            duplicates.append(pk)
        seen.add((procurement_id, user_id))
    EarlyInvolvement.objects.filter(pk__in=duplicates).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0010_order_event_wording"),
    ]

    operations = [
        migrations.RunPython(keep_the_first_request, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="earlyinvolvement",
            constraint=models.UniqueConstraint(
                fields=("procurement", "user"), name="involvement_once_per_politician"
            ),
        ),
    ]
