from django.urls import path

from turbine.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("agglomerations/<str:siren>/", views.agglomeration_detail, name="agglomeration"),
    path("communes/<str:code>/", views.commune_detail, name="commune"),
]
