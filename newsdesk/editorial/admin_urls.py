"""Admin pages of the newsroom, mounted under /admin/ by the ``register_admin_urls`` hook."""

from django.urls import path

from . import views

urlpatterns = [
    path("corrections/", views.corrections_index, name="editorial_corrections"),
    path("corrections/add/", views.correction_add, name="editorial_correction_add"),
    path(
        "corrections/<int:pk>/remove/",
        views.correction_remove,
        name="editorial_correction_remove",
    ),
    path("two-factor/", views.two_factor_status, name="editorial_two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="editorial_two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="editorial_two_factor_verify"),
    path("two-factor/disable/", views.two_factor_disable, name="editorial_two_factor_disable"),
    path(
        "two-factor/reset/<int:user_id>/",
        views.two_factor_reset,
        name="editorial_two_factor_reset",
    ),
]
