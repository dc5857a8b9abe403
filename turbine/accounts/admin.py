from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from turbine.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "commune", "is_profile_public", "is_staff", "is_demo"]
    list_filter = ["groups", "is_staff", "is_profile_public", "is_demo"]
    search_fields = ["email", "display_name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profil", {"fields": ["display_name", "commune", "bio", "is_profile_public", "is_demo"]}),
        ("Rôles et droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["name", "user__email", "prefix"]
    list_select_related = ["user"]
