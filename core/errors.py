from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    """The friendly 500 page, with the request id a reader can quote when reporting it."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "id", "")}))
