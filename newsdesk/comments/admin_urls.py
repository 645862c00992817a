from django.urls import path

from . import admin_views

app_name = "comments_admin"

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<int:pk>/edit/", admin_views.EditView.as_view(), name="edit"),
    path("<int:pk>/reply/", admin_views.ReplyView.as_view(), name="reply"),
]
