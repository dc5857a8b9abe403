"""Pages of the showcase, with their full paths (included at the site root)."""

app_name = "showcase"
urlpatterns: list = []
