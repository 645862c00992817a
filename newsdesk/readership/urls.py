from django.urls import path

from . import beacon

app_name = "readership"

urlpatterns = [
    path("readership/view", beacon.view, name="view"),
]
