"""Pages of the cooperation app, with their full paths (included at the site root)."""

from django.urls import path  # noqa: F401

app_name = "cooperation"
urlpatterns: list = []
