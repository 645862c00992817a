from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
    path("corrections/", views.corrections_page, name="corrections"),
]
