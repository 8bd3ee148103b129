"""Answer problems in the user's language, naming the question by its number and label: the API (Accept-Language),
the questionnaire form and the workbook upload all word the core's codes and parameters through gettext."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from govlens.web.collection.messages import localise, problem_message, question_numbers
from govlens.web.collection.services import response_save
from govlens.web.cycles.frameworks import cycle_framework

from .conftest import PASSWORD, RESPONSE_ARG, Api, World
from .test_workbook import _download, _fill

PAGE = "/cycles/lac-2026/responses/ARG/"

# The year 3020 for question 2 (org_year, "Year created"; the tiny framework labels it "[es] ..." in Spanish only).
YEAR_3020 = {
    "en": "Question 2 “Year created” needs a year from 1900 to 2100; got 3020",
    "es": "La pregunta 2 «[es] Year created» requiere un año entre 1900 y 2100; se recibió 3020",
    "pt": "A pergunta 2 “Year created” requer um ano entre 1900 e 2100; recebido 3020",
    # French typography: narrow no-break spaces inside the guillemets and before ";"
    "fr": "La question 2 «\u202fYear created\u202f» attend une année entre 1900 et 2100\u202f; reçu 3020",
}


def _patch(api: Api, language: str, body: dict[str, object]) -> object:
    return api.client.patch(
        RESPONSE_ARG,
        __import__("json").dumps(body),
        content_type="application/json",
        headers={**api.headers, "Accept-Language": language},
    )


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_api_words_an_invalid_answer_in_the_accept_language(world: World, language: str) -> None:
    reply = _patch(Api("focal_arg"), language, {"version": 0, "answers": {"org_exists": "yes", "org_year": 3020}})
    assert reply.status_code == 422  # type: ignore[attr-defined]
    error = reply.json()["error"]  # type: ignore[attr-defined]
    assert error["details"]["problems"] == [
        {
            "question": "org_year",
            "code": "invalid_year",
            "message": YEAR_3020[language],
            "number": 2,
            "label": "[es] Year created" if language == "es" else "Year created",
            "section": "governance",
        }
    ]
    assert "org_year" not in error["message"]  # the headline speaks of answers, not internal ids
    assert error["message"].startswith("1 ")


@pytest.mark.parametrize(
    ("language", "required", "constraint"),
    [
        ("es", "La pregunta 5 «[es] Channels» es obligatoria", "La pregunta 6 «[es] Staff»: la respuesta -1"),
        ("pt", "A pergunta 5 “Channels” é obrigatória", "A pergunta 6 “Staff”: a resposta -1 não cumpre"),
        (
            "fr",
            "La question 5 «\u202fChannels\u202f» est obligatoire",
            "La question 6 «\u202fStaff\u202f»\u00a0: la réponse -1 ne remplit",
        ),
    ],
)
def test_api_submission_problems_are_localised(world: World, language: str, required: str, constraint: str) -> None:
    api = Api("focal_arg")
    refused = _patch(api, language, {"version": 0, "answers": {"staff": -1}})
    assert constraint in refused.json()["error"]["details"]["problems"][0]["message"]  # type: ignore[attr-defined]
    reply = api.client.post(
        f"{RESPONSE_ARG}/submit",
        "{}",
        content_type="application/json",
        headers={**api.headers, "Accept-Language": language},
    )
    assert reply.status_code == 422
    messages = [p["message"] for p in reply.json()["error"]["details"]["problems"]]
    assert required in messages
    assert all("'" + "channels" + "'" not in m for m in messages)


def test_the_form_shows_the_message_beside_the_field_in_the_user_language(world: World) -> None:
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    client.post("/i18n/setlang/", {"language": "fr", "next": PAGE})
    reply = client.post(
        f"{PAGE}save",
        {
            "version": "0",
            "section": "governance",
            "q": ["org_exists", "org_year"],
            "a_org_exists": "yes",
            "a_org_year": "3020",
        },
    )
    assert reply.status_code == 422  # org_year refused...
    html = reply.content.decode()
    expected = "La question 2 «\u202fYear created\u202f» attend une année entre 1900 et 2100\u202f; reçu"
    assert f"{expected} &#x27;3020&#x27;" in html
    assert 'value="3020"' in html  # ...and kept on screen as typed
    from govlens.web.collection.models import Response

    assert Response.objects.get(country__iso3="ARG").answers.get().value == "yes"  # ...while org_exists was saved


def test_the_workbook_upload_reports_problems_in_the_user_language(world: World) -> None:
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    filled = _fill(_download(client), {"org_exists": "yes", "org_year": 3020})
    reply = client.post(f"{PAGE}workbook", {"workbook": filled}, headers={"Accept-Language": "pt"})
    assert reply.status_code == 422
    assert "A pergunta 2 “Year created” requer um ano entre 1900 e 2100; recebido 3020" in reply.content.decode()


def test_every_question_has_its_number_and_unknown_codes_keep_the_core_message(world: World) -> None:
    framework = cycle_framework(world.cycle)
    assert list(question_numbers(framework).items())[:3] == [("org_exists", 1), ("org_year", 2), ("strategy_url", 3)]
    row = {"question": "org_year", "code": "no_such_code", "message": "as the core said"}
    assert problem_message(framework, row) == "as the core said"
    with translation.override("es"):
        (localised,) = localise(
            framework, [{"question": "budget", "code": "evidence_missing", "message": "x", "params": {}}]
        )
    assert (
        localised["message"]
        == "La pregunta 4 «[es] Budget (USD million)» requiere evidencia: un enlace o un archivo subido"
    )


def test_a_constraint_message_of_the_framework_is_used_in_the_language(world: World) -> None:
    from govlens.web.errors import Invalid

    with translation.override("es"), pytest.raises(Invalid) as caught:
        response_save(
            actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"org_exists": "yes", "org_year": 1980}
        )
    (problem,) = caught.value.problems
    assert problem["message"] == "La pregunta 2 «[es] Year created»: [es] The year must be 1990 or later"
