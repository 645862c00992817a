from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from newsdesk.news.models import ArticlePage

from . import charts, clock, ranking


class ArticleReadershipView(WagtailAdminTemplateMixin, TemplateView):
    """One article's own view history, reached from its edit page (header menu)."""

    template_name = "readership/admin/article.html"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        self.article = get_object_or_404(ArticlePage, pk=kwargs["pk"])
        if not self.article.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "Readership"

    def get_page_subtitle(self):
        return self.article.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = clock.now()
        hourly = ranking.hourly_series([self.article.pk], 48, now)[self.article.pk]
        daily = ranking.daily_history(self.article.pk, 90, now)
        context.update(
            article=self.article,
            total=ranking.total_views(self.article.pk),
            hourly_chart=charts.line_chart(
                [(self.article.title, hourly, "")], ranking.current_hour(now) - 47
            ),
            hourly_title=f"Views per hour of “{self.article.title}”, last 48 hours",
            hourly_description=f"{sum(hourly)} views in the last 48 hours, peak {max(hourly)} in one hour.",
            daily=daily,
            daily_chart=charts.bar_chart(
                [(day.strftime("%d %b"), views) for day, views in daily], label_every=15
            ),
            daily_title=f"Views per day of “{self.article.title}”, last 90 days",
            daily_description=f"{sum(v for _, v in daily)} views in the last 90 days.",
        )
        return context
