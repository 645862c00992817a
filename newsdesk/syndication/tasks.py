from django_tasks import task

from newsdesk.news.models import ArticlePage, NewsImage

from . import images


@task()
def make_social_renditions(image_id: int) -> None:
    """The social-card, JSON-LD and feed sizes of a featured image, made once at publication
    so the first reader (or crawler) does not wait for them."""
    image = NewsImage.objects.filter(pk=image_id).first()
    if image is not None:
        images.renditions(image, list(images.ARTICLE_RENDITIONS.values()))


def featured_image_ids() -> list[int]:
    return list(
        ArticlePage.objects.live()
        .exclude(featured_image=None)
        .values_list("featured_image_id", flat=True)
        .distinct()
        .order_by()
    )
