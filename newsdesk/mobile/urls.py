from django.urls import path

from . import views

app_name = "mobile"

urlpatterns = [
    path("_device", views.device, name="device"),
    path("m/exit/", views.leave, name="leave"),
    path("m/enter/", views.enter, name="enter"),
    path("m/<str:section>/<str:slug>/", views.article, name="article"),
]
