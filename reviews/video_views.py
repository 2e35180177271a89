"""The page readers suggest a video on, for a paper or a keynote they can see.

Its own page rather than a form inside the paper page: a form carries a CSRF token and sets the
CSRF cookie, and the page cache (core.page_cache) stores no response that sets a cookie, so a
form on the paper page would make every paper page uncacheable. The paper and keynote pages
link here ("Add one"); this page is never cached.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import FormView

from papers import videos
from papers.forms import VideoSuggestionForm
from reviews.visibility import visible_keynotes, visible_papers

THANKS = "Thanks, a curator will review it."


class SuggestVideoView(FormView):
    template_name = "reviews/video_suggest.html"
    form_class = VideoSuggestionForm
    subject = ""

    def get_target(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.target = self.get_target()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["subject"] = self.subject
        context["thanks"] = THANKS if self.request.GET.get("sent") == "1" else ""
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        add_never_cache_headers(response)
        return response

    def form_valid(self, form):
        if form.is_spam():  # answered as a success, so the bot learns nothing; nothing stored
            return self.thanks()
        data = form.cleaned_data
        try:
            videos.suggest_video(
                target=self.target,
                url=data["url"],
                title=data["title"],
                suggested_by=data["suggested_by"],
                address=self.request.META.get("REMOTE_ADDR", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        except videos.SuggestionRefused as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return self.thanks()

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def thanks(self):
        return redirect(f"{self.request.path}?sent=1")


class SuggestPaperVideoView(SuggestVideoView):
    subject = "paper"

    def get_target(self):
        return get_object_or_404(visible_papers(self.request.user), slug=self.kwargs["slug"])


class SuggestKeynoteVideoView(SuggestVideoView):
    subject = "talk"

    def get_target(self):
        return get_object_or_404(
            visible_keynotes(self.request.user).select_related("conference"), pk=self.kwargs["pk"]
        )
