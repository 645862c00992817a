from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("authors/<slug:slug>/", views.author, name="author"),
    path("tags/<str:slug>/", views.tag, name="tag"),
]
