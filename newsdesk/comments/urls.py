from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [path("comments/post", views.post_comment, name="post")]
