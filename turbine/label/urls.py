app_name = "label"
urlpatterns: list = []
