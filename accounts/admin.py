from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Department, Membership, Municipality, ProcurementCentre, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["centre", "municipality", "department"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]


@admin.register(ProcurementCentre)
class ProcurementCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "org_number"]
    search_fields = ["name", "slug", "org_number"]
    prepopulated_fields = {"slug": ["name"]}


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "org_number", "centre"]
    list_filter = ["centre"]
    search_fields = ["name", "slug", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "code", "municipality__name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "centre", "municipality", "department"]
    list_filter = ["role", "centre", "municipality"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    autocomplete_fields = ["user", "centre", "municipality", "department"]
