from django.urls import path

from turbine.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.overview, name="overview"),
]
