from django.views.generic import DetailView, ListView

from .models import Conference, Paper
from .selectors import paper_with_reviews, review_summary


class ConferenceListView(ListView):
    model = Conference
    template_name = "papers/conference_list.html"
    context_object_name = "conferences"


class ConferenceDetailView(DetailView):
    model = Conference
    template_name = "papers/conference_detail.html"
    context_object_name = "conference"

    def get_context_data(self, **kwargs):
        from reviews.models import Post
        from reviews.selectors import post_listing

        context = super().get_context_data(**kwargs)
        context["posts"] = post_listing(Post.objects.published().for_conference(self.object))
        context["papers"] = Paper.objects.for_conference(self.object).with_listing_data()
        context["keynotes"] = self.object.keynotes.all()
        return context


class PaperDetailView(DetailView):
    template_name = "papers/paper_detail.html"
    context_object_name = "paper"

    def get_queryset(self):
        return paper_with_reviews()

    def get_context_data(self, **kwargs):
        return super().get_context_data(reviews=review_summary(self.object), **kwargs)
