from django.urls import path

app_name = "steering"
urlpatterns: list = []
