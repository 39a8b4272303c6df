from django.contrib import admin

from plans.models import Order, Plan, Procurement


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


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "department", "status", "estimated_value_sek", "created_at"]
    list_filter = ["plan__municipality", "plan__year", "status", "department"]
    search_fields = ["title", "need", "cpv", "expert_name"]
    list_select_related = ["plan__municipality", "department"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["procurement", "ordered_by", "handled_by"]
    readonly_fields = ["version", "created_at", "updated_at"]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        """A save here moves the version on like every other edit (see ProcurementAdmin)."""
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
