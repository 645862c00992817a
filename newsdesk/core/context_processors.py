from django.conf import settings


def site(request):
    """Site-wide names every template may use."""
    return {
        "site_name": settings.SITE_NAME,
        "site_language": settings.SITE_LANGUAGE,
        "base_url": settings.BASE_URL,
    }
