"""The release's JSON endpoints under ``/api/v1/releases/{release}/``: a country's validation items with its
answers (read, accept or comment), and publishing. HTTP only, with the API's one error shape."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, JsonResponse

from govlens.web.api.api import BadRequest, _json_body, endpoint
from govlens.web.jobs import publication

_UNICODE = {"ensure_ascii": False}


def _validation_json(view: dict[str, Any]) -> dict[str, Any]:
    round_ = view["round"]
    reviews = view["reviews"]
    return {
        "release": view["release"].id,
        "country": view["country"],
        "deadline": round_.deadline.isoformat(),
        "items": [
            {
                "key": item.key,
                "kind": item.kind,
                "text": item.text,
                "decision": reviews[item.key].decision if item.key in reviews else None,
                "comment": reviews[item.key].comment if item.key in reviews else "",
                "resolution": reviews[item.key].resolution if item.key in reviews else "",
                "reply": reviews[item.key].reply if item.key in reviews else "",
            }
            for item in view["items"]
        ],
    }


@endpoint("GET", "POST")
def validation(request: HttpRequest, user: User, release: str, iso3: str) -> JsonResponse:
    if request.method == "POST":
        body = _json_body(request)
        if not isinstance(body.get("item"), str) or not isinstance(body.get("decision"), str):
            raise BadRequest('send {"item": KEY, "decision": "accepted" | "commented", "comment": TEXT}')
        publication.validation_review(
            actor=user,
            release_id=release,
            country=iso3,
            item=body["item"],
            decision=body["decision"],
            comment=str(body.get("comment", "")),
        )
    view = publication.validation_view(user=user, release_id=release, country=iso3)
    return JsonResponse(_validation_json(view), json_dumps_params=_UNICODE)


@endpoint("POST")
def publish(request: HttpRequest, user: User, release: str) -> JsonResponse:
    body = _json_body(request) if request.body else {}
    confirm = body.get("confirm_open_comments", False)
    if not isinstance(confirm, bool):
        raise BadRequest("confirm_open_comments must be true or false")
    state = publication.release_publish(actor=user, release_id=release, confirm_open_comments=confirm)
    return JsonResponse({"release": release, "state": state.value})
