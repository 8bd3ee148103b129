"""The language's typography on every HTML page: French wants a no-break space before ":" and a narrow one before
";", "?" and "!", also where the punctuation sits in the template next to a translated word ("Statut : ...")."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from govlens.i18n import typeset_html


class TypographyMiddleware:
    """Typesets the text of a complete HTML response (not its tags, attributes, scripts or code) in the active
    language; streamed responses and other content types (JSON, CSV, files) are left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        language = get_language() or ""
        if (
            language.startswith("fr")
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and hasattr(response, "content")
        ):
            charset = response.charset or "utf-8"
            response.content = typeset_html(response.content.decode(charset), "fr").encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
