"""Demo material of the syndication app: the social sizes of the demo's pictures."""

from newsdesk.core.progress import Progress
from newsdesk.news.models import NewsImage

from . import images
from .tasks import featured_image_ids


def social_renditions_for_demo(stdout, tally) -> None:
    """Idempotent: renditions that exist are found, not made again."""
    ids = featured_image_ids()
    specs = list(images.ARTICLE_RENDITIONS.values())
    progress = Progress("Social picture sizes", len(ids), stdout)
    for image in NewsImage.objects.filter(pk__in=ids).prefetch_renditions(*specs):
        existing = {r.filter_spec for r in image.prefetched_renditions}
        images.renditions(image, specs)
        tally.add("social picture sizes", not set(specs) <= existing)
        progress.advance()
    progress.finish()
