"""Analysts' edits of the chapter: applied and marked in the page, kept across a recomputation of the cycle, and a
stale figure in an edited passage blocks publication with a message naming the edit and the figure."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from govlens.analysis import synthetic
from govlens.cli import app
from govlens.framework import catalogue
from govlens.release import Release, ReleaseSettings, create_release, write_release
from govlens.reports.edits import (
    Edit,
    EditSet,
    EditsInvalid,
    EditsStale,
    figures_in,
    parse_edits,
    read_edits,
    stale_figures,
)
from govlens.reports.render import check_edits, publish, render_report, report_data

CYCLE = "edits-2026"
RULE = "f01-lead-organisation"
QUESTION = "gov_dg_org_exists"


def _release(answers: dict[str, dict[str, object]], number: int) -> Release:
    return create_release(
        catalogue.load("lac-dgr"),
        answers,
        cycle=CYCLE,
        settings=ReleaseSettings(),
        synthetic=True,
        release_id=f"{CYCLE}-r{number}",
        created="2026-12-01T00:00:00Z",
    )


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[str, object]]:
    responses = synthetic.synthetic_answers(catalogue.load("lac-dgr"), seed=5)
    return {country: dict(given) for country, given in responses.answers.items()}


@pytest.fixture(scope="module")
def first(answers: dict[str, dict[str, object]]) -> Release:
    return _release(answers, 1)


def _counted(answers: dict[str, dict[str, object]]) -> list[str]:
    return sorted(country for country, given in answers.items() if given.get(QUESTION) == "yes")


def _edits(answers: dict[str, dict[str, object]]) -> dict[str, object]:
    count, total = len(_counted(answers)), len(answers)
    share = int(count * 100 / total + 0.5)
    return {
        "govlens_edits": 1,
        "cycle": CYCLE,
        "edits": [
            {
                "target": f"finding:{RULE}",
                "language": "en",
                "by": "ana.rivera",
                "at": "2026-12-02",
                "text": f"Lead organisations are the rule: {count} of the {total} countries ({share}%) have one, "
                "usually inside a line ministry.",
            },
            {
                "target": "intro:governance",
                "language": "en",
                "by": "ana.rivera",
                "text": "Leadership decides whether digital reforms reach the whole of government.",
            },
        ],
    }


def test_an_edit_replaces_the_generated_passage_and_is_marked(
    first: Release, answers: dict[str, dict[str, object]]
) -> None:
    edits = parse_edits(_edits(answers))
    html = render_report(first, "en", edits=edits)
    assert "Lead organisations are the rule:" in html
    assert 'data-provenance="edited" data-edited-by="ana.rivera" data-rule="f01-lead-organisation"' in html
    assert "Leadership decides whether digital reforms reach the whole of government." in html
    assert html.count('data-provenance="generated"') > 20  # the others stay generated
    assert 'data-edits="2"' in html and "ana.rivera, 2026-12-02" in html  # listed in the method section
    spanish = render_report(first, "es", edits=edits)  # an English edit leaves the Spanish text generated
    assert "Lead organisations are the rule" not in spanish and 'data-provenance="edited"' not in spanish


def test_edits_survive_recomputation_and_a_stale_figure_blocks_publication(
    first: Release, answers: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    edits = parse_edits(_edits(answers))
    assert check_edits(first, edits) == []
    # a focal point corrects an answer and the cycle is recomputed: one country fewer has a lead organisation
    changed = {country: dict(given) for country, given in answers.items()}
    changed[_counted(answers)[0]][QUESTION] = "no"
    second = _release(changed, 2)
    assert report_data(second, "en").stats.options_figure(QUESTION, ["yes"]).count == len(_counted(answers)) - 1
    with pytest.raises(EditsStale) as raised:
        render_report(second, "en", edits=edits)
    message = str(raised.value)
    old = str(len(_counted(answers)))
    assert f"finding:{RULE} (en, edited by ana.rivera): the figure {old} is not supported" in message
    assert 'of this release, in "Lead organisations are the rule: ' in message  # the edited sentence
    assert "the generated text now reads: " in message and f"({int(old) - 1} of " in message
    # the edit without figures still applies to the recomputed release (seen in an analyst's preview)
    preview = render_report(second, "en", edits=edits, allow_stale=True)
    assert "Leadership decides whether digital reforms reach the whole of government." in preview
    # publishing writes nothing
    out = tmp_path / "published"
    with pytest.raises(EditsStale):
        publish(second, out, languages=("en", "es"), countries=(), formats=("html",), edits=edits)
    assert not out.exists() or not any(out.iterdir())


def test_the_cli_refuses_to_write_a_report_with_a_stale_edit(
    first: Release, answers: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    changed = {country: dict(given) for country, given in answers.items()}
    changed[_counted(answers)[0]][QUESTION] = "no"
    path = write_release(_release(changed, 2), tmp_path / "second.json")
    edits = tmp_path / "edits.yaml"
    import yaml

    edits.write_text(yaml.safe_dump(_edits(answers)), encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--release", str(path), "--edits", str(edits), "--out", str(out)])
    assert result.exit_code == 1
    assert "no longer match the data" in result.output and f"finding:{RULE}" in result.output
    assert not out.exists()
    good = write_release(first, tmp_path / "first.json")
    result = CliRunner().invoke(app, ["report", "--release", str(good), "--edits", str(edits), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "with 2 edit(s)" in result.output and "Lead organisations are the rule" in out.read_text(encoding="utf-8")


def test_an_edit_of_a_passage_the_release_lacks_blocks_too(first: Release) -> None:
    edits = parse_edits(
        {"govlens_edits": 1, "cycle": CYCLE, "edits": [{"target": "finding:no-such-rule", "language": "en",
                                                         "by": "ana", "text": "Something."}]}
    )  # fmt: skip
    problems = check_edits(first, edits, ["en"])
    assert [str(p) for p in problems] == [
        "finding:no-such-rule (en, edited by ana): this release has no such passage; remove the edit or correct "
        "its target"
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"target": "paragraph:x", "language": "en", "by": "a", "text": "t"}, "kind one of {finding, recommendation"),
        ({"target": "finding:x", "language": "de", "by": "a", "text": "t"}, "language must be one of {en, es, pt, fr}"),
        ({"target": "finding:x", "language": "en", "text": "t"}, "'by' must name the analyst"),
        ({"target": "finding:x", "language": "en", "by": "a", "text": " "}, "text must not be empty"),
        ({"target": "finding:x", "language": "en", "by": "a", "text": "t", "author": "b"}, "unknown field(s) author"),
    ],
)
def test_a_bad_edit_is_named(entry: dict[str, object], message: str) -> None:
    with pytest.raises(EditsInvalid, match=r"edits.yaml: edit #1") as raised:
        parse_edits({"govlens_edits": 1, "cycle": CYCLE, "edits": [entry]}, "edits.yaml")
    assert message in str(raised.value)


def test_edits_for_another_cycle_are_refused(first: Release, tmp_path: Path) -> None:
    path = tmp_path / "edits.yaml"
    path.write_text("govlens_edits: 1\ncycle: other-2025\nedits: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"are for cycle 'other-2025'; release edits-2026-r1 is of cycle"):
        render_report(first, "en", edits=read_edits(path))
    path.write_text("govlens_edits: [\n", encoding="utf-8")
    with pytest.raises(EditsInvalid, match="is not valid YAML"):
        read_edits(path)


def test_figures_are_read_with_either_decimal_mark() -> None:
    found = figures_in("15 de 17 países (88 %), 0,59 frente a 0.68; F01 y 2020.", "es")
    assert [figure.canonical for figure in found] == ["15", "17", "88", "0.59", "0.68", "2020"]


@pytest.mark.parametrize(
    ("language", "text", "figures"),
    [
        ("en", "Three of the 17 countries, half of them, two thirds; they have one.", ["3", "17", "½", "⅔"]),
        ("es", "Tres de los diecisiete países, la mitad, dos tercios; una estrategia.", ["3", "17", "½", "⅔"]),
        ("pt", "Dezessete países, duas entidades, metade, um terço.", ["17", "2", "½", "⅓"]),
        ("fr", "Dix-sept pays, la moitié, trois quarts, quatre, une entité.", ["17", "½", "¾", "4"]),
    ],
)
def test_figures_in_words_are_read_per_language(language: str, text: str, figures: list[str]) -> None:
    vulgar = {0.5: "½", 0.333333: "⅓", 0.666667: "⅔", 0.75: "¾"}
    found = [vulgar[round(f.value, 6)] if f.fraction else f.canonical for f in figures_in(text, language)]
    assert found == figures  # "one", "una", "une" are pronouns or articles, not figures


def _word(edit_text: str, language: str = "en") -> Edit:
    return Edit("finding:x", language, edit_text, "ana")


def test_a_figure_in_words_is_checked_like_digits() -> None:
    generated = "Most countries (15 of 17, 88%) have a lead organisation."
    supported, shares = [15, 17, 88], [(15, 17)]
    assert stale_figures(_word("Fifteen of the seventeen countries have one."), generated, supported, shares) == []
    stale = stale_figures(_word("Three of the 17 countries have one."), generated, supported, shares)
    assert [problem.figure for problem in stale] == ["Three"]
    assert 'the figure Three is not supported by the data of this release, in "Three of the 17' in str(stale[0])
    spanish = _word("Tres de los diecisiete países tienen una.", "es")
    assert [problem.figure for problem in stale_figures(spanish, generated, supported, shares)] == ["Tres"]


def test_a_share_in_words_is_checked_against_the_count_and_total() -> None:
    half, generated = "Half of the countries have a lead organisation.", "About half of the countries (9 of 17)."
    assert stale_figures(_word(half), "9 of 17", [9, 17, 53], [(9, 17)]) == []
    assert stale_figures(_word(half), "8 of 17", [8, 17, 47], [(8, 17)]) == []  # 8.5 is half of 17
    stale = stale_figures(_word(half), "15 of 17", [15, 17, 88], [(15, 17)])
    assert [problem.figure for problem in stale] == ["Half"]
    assert stale_figures(_word("Two thirds of them.", "en"), generated, [9, 17], [(9, 17)])[0].figure == "Two thirds"
    moitie = _word("La moitié des pays.", "fr")
    assert stale_figures(moitie, "15 sur 17", [15, 17], [(15, 17)])[0].figure == "moitié"


SPANISH = dict(
    enumerate(
        [
            "dos",
            "tres",
            "cuatro",
            "cinco",
            "seis",
            "siete",
            "ocho",
            "nueve",
            "diez",
            "once",
            "doce",
            "trece",
            "catorce",
            "quince",
            "dieciséis",
            "diecisiete",
        ],
        start=2,
    )
)


def _spanish_edit(text: str) -> EditSet:
    entry = {"target": f"finding:{RULE}", "language": "es", "by": "ana.rivera", "text": text}
    return parse_edits({"govlens_edits": 1, "cycle": CYCLE, "edits": [entry]})


def test_a_stale_figure_in_words_blocks_publication(first: Release, answers: dict[str, dict[str, object]]) -> None:
    count, total = len(_counted(answers)), len(answers)
    word, wrong = SPANISH[count].capitalize(), SPANISH[count - 1].capitalize()
    right = _spanish_edit(f"{word} de los {total} países tienen una organización líder.")
    assert check_edits(first, right, ["es"]) == []
    stale = _spanish_edit(f"{wrong} de los {total} países tienen una organización líder.")
    assert [problem.figure for problem in check_edits(first, stale, ["es"])] == [wrong]
    with pytest.raises(EditsStale) as raised:
        render_report(first, "es", edits=stale)
    assert f"finding:{RULE} (es, edited by ana.rivera): the figure {wrong} is not supported" in str(raised.value)
    assert f'of this release, in "{wrong} de los {total}' in str(raised.value)
