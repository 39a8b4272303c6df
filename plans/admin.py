from django.contrib import admin

from plans.models import Plan, Procurement


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "remiss_starts", "remiss_ends", "adopted_on"]
    list_filter = ["municipality", "year"]
    search_fields = ["municipality__name", "year"]
    date_hierarchy = "remiss_starts"


@admin.register(Procurement)
class ProcurementAdmin(admin.ModelAdmin):
    list_display = [
        "ref",
        "title",
        "plan",
        "department",
        "category",
        "estimated_value_sek",
        "planned_advertisement",
    ]
    list_filter = ["plan__municipality", "plan__year", "category", "procedure", "confidential", "department"]
    search_fields = ["ref", "title", "description", "cpv"]
    list_select_related = ["plan__municipality", "department"]
    autocomplete_fields = ["department", "officer"]
    readonly_fields = ["version", "created_at", "updated_at"]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        """A save here moves the version on like every other edit, so that a form someone opened on the
        site before it is refused as stale rather than overwriting it."""
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
