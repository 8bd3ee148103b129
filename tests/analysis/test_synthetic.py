"""Synthetic demo answers: valid, labelled synthetic, calibrated to the seed's shares, reproducible."""

from __future__ import annotations

import json

import numpy as np
import pytest

from govlens.analysis.synthetic import DEFAULT_COUNTRIES, SyntheticResponses, maturity_from, synthetic_answers
from govlens.framework.answers import validate_answers
from govlens.framework.findings import FINDINGS
from govlens.framework.model import Framework
from govlens.framework.scoring import score_table

ESTABLISHED = ("privacy", "access_info", "esignature", "eprocurement", "cybersecurity", "digital_gov")
ADVANCED = ("digital_id", "once_only", "private_data", "digital_by_design", "cloud", "sandboxes", "ai",
            "emerging_tech", "right_to_challenge")  # fmt: skip


def count(demo: SyntheticResponses, question: str, *options: str) -> int:
    return sum(1 for answers in demo.answers.values() if answers.get(question) in options)


def test_seventeen_default_countries_from_latin_america_and_the_caribbean(demo: SyntheticResponses) -> None:
    assert len(DEFAULT_COUNTRIES) == 17 == len(set(DEFAULT_COUNTRIES))
    assert demo.countries == DEFAULT_COUNTRIES


@pytest.mark.parametrize(
    ("question", "expected", "finding"),
    [
        ("gov_dg_org_exists", 15, "F01: 88%"),
        ("gov_coord_exists", 10, "F02: 59%"),
        ("gov_ndgs_exists", 16, "F04: 94%"),
        ("inn_declaration", 7, "F39: 41%"),
    ],
)
def test_calibrated_yes_counts(demo: SyntheticResponses, question: str, expected: int, finding: str) -> None:
    assert count(demo, question, "yes") == expected, finding
    assert count(demo, question, "no") == 17 - expected


def test_f07_established_topics_above_80_percent_and_advanced_about_half(demo: SyntheticResponses) -> None:
    for topic in ESTABLISHED:
        covered = count(demo, f"gov_law_{topic}", "full", "partial")
        assert covered / 17 > 0.8, topic
    for topic in ADVANCED:
        covered = count(demo, f"gov_law_{topic}", "full", "partial")
        assert covered in (8, 9), topic  # 47% or 53%


def test_f04_half_of_the_strategies_date_from_2020_or_before(demo: SyntheticResponses) -> None:
    years = [answers["gov_ndgs_year"] for answers in demo.answers.values() if "gov_ndgs_year" in answers]
    assert len(years) == 16
    assert sum(1 for year in years if isinstance(year, int) and year <= 2020) == 8


def test_shares_among_subgroups_follow_the_seeds_words(demo: SyntheticResponses) -> None:
    with_org = [a for a in demo.answers.values() if a["gov_dg_org_exists"] == "yes"]
    powers = ("funding", "approve", "reviews", "standards", "halt")
    held = [sum(1 for a in with_org if a[f"gov_dg_power_{power}"] == "yes") for power in powers]
    assert held == [7, 7, 6, 7, 5]  # F01: "only half or less" of the 15 organisations
    with_body = [a for a in demo.answers.values() if a["gov_coord_exists"] == "yes"]
    assert sum(1 for a in with_body if a["gov_coord_role"] == "decision") == 2  # F03: "only a few" of 10
    with_strategy = [a for a in demo.answers.values() if a["gov_ndgs_exists"] == "yes"]
    assert sum(1 for a in with_strategy if a["gov_ndgs_monitoring"] == "yes") == 12  # F04: "most" of 16


def test_every_response_passes_submission_checks(lac: Framework, demo: SyntheticResponses) -> None:
    for country, answers in demo.answers.items():
        report = validate_answers(lac, answers, submitting=True, path=country)
        assert [str(problem) for problem in report.problems] == []


def test_labelled_synthetic_in_four_languages(lac: Framework, demo: SyntheticResponses) -> None:
    meta = demo.metadata
    assert demo.synthetic is True and meta["synthetic"] is True
    label = meta["label"]
    assert isinstance(label, dict) and set(label) == {"en", "es", "pt", "fr"}
    assert "SYNTHETIC" in label["en"] and "SINTÉTICOS" in label["es"]
    assert meta["seed"] == 2023
    assert meta["framework"] == {"id": "lac-dgr", "version": lac.version}
    calibration = meta["calibration"]
    assert isinstance(calibration, list)
    findings = {entry["finding"] for entry in calibration}
    assert findings == set(FINDINGS)  # every finding of the seed has a calibrated share behind it


def test_same_seed_same_answers_bit_for_bit(lac: Framework, demo: SyntheticResponses) -> None:
    again = synthetic_answers(lac, seed=2023)
    assert json.dumps(again.answers, sort_keys=True) == json.dumps(demo.answers, sort_keys=True)
    assert again.metadata == demo.metadata
    other = synthetic_answers(lac, seed=7)
    assert other.answers != demo.answers
    assert count(other, "gov_dg_org_exists", "yes") == 15  # calibration holds for any seed


def test_maturity_drives_the_uncalibrated_answers(lac: Framework) -> None:
    high = synthetic_answers(lac, seed=1, maturity={code: 0.95 for code in DEFAULT_COUNTRIES})
    low = synthetic_answers(lac, seed=1, maturity={code: 0.05 for code in DEFAULT_COUNTRIES})
    high_mean = float(np.nanmean(score_table(lac, high.answers).to_numpy()))
    low_mean = float(np.nanmean(score_table(lac, low.answers).to_numpy()))
    assert high_mean > low_mean + 0.3
    assert high.metadata["maturity_given"] == sorted(DEFAULT_COUNTRIES)


def test_counts_scale_with_the_number_of_countries(lac: Framework) -> None:
    ten = synthetic_answers(lac, ("ARG", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "ECU", "GTM", "HTI"), seed=3)
    # 15/17 x 10 = 8.8 -> 9; 10/17 x 10 = 5.9 -> 6; 16/17 x 10 = 9.4 -> 9; 7/17 x 10 = 4.1 -> 4
    assert [count(ten, q, "yes") for q in ("gov_dg_org_exists", "gov_coord_exists", "gov_ndgs_exists",
                                            "inn_declaration")] == [9, 6, 9, 4]  # fmt: skip


def test_prefilled_answers_are_kept_and_calibration_works_around_them(lac: Framework) -> None:
    prefilled = {
        "ARG": {"inn_declaration": "yes", "svc_end_to_end": 61.5},
        "BRA": {"inn_declaration": "yes", "gov_ndgs_exists": "yes", "gov_ndgs_year": 2016},
        "CHL": {"inn_declaration": "yes"},
        "URY": {"inn_declaration": "no"},
    }
    demo = synthetic_answers(lac, seed=11, prefilled=prefilled)
    answers = demo.answers
    assert [answers[c]["inn_declaration"] for c in ("ARG", "BRA", "CHL", "URY")] == ["yes", "yes", "yes", "no"]
    assert count(demo, "inn_declaration", "yes") == 7  # still 7 of 17: four more chosen among the others
    assert answers["ARG"]["svc_end_to_end"] == 61.5
    assert answers["BRA"]["gov_ndgs_year"] == 2016
    years = [a["gov_ndgs_year"] for a in answers.values() if "gov_ndgs_year" in a]
    assert sum(1 for year in years if isinstance(year, int) and year <= 2020) == 8
    assert demo.metadata["prefilled"] == {
        "ARG": ["inn_declaration", "svc_end_to_end"],
        "BRA": ["gov_ndgs_exists", "gov_ndgs_year", "inn_declaration"],
        "CHL": ["inn_declaration"],
        "URY": ["inn_declaration"],
    }
    for country, row in answers.items():
        assert validate_answers(lac, row, submitting=True, path=country).problems == []


def test_prefilled_beyond_a_target_is_recorded(lac: Framework) -> None:
    many = {code: {"inn_declaration": "yes"} for code in DEFAULT_COUNTRIES[:9]}
    demo = synthetic_answers(lac, seed=11, prefilled=many)
    assert count(demo, "inn_declaration", "yes") == 9
    calibration = demo.metadata["calibration"]
    assert isinstance(calibration, list)
    entry = next(e for e in calibration if e["question"] == "inn_declaration")
    assert (entry["target"], entry["count"], entry["total"]) == (7, 9, 17)


def test_bad_prefilled_answers(lac: Framework) -> None:
    with pytest.raises(ValueError, match="must be for the countries generated; got FRA"):
        synthetic_answers(lac, prefilled={"FRA": {"inn_declaration": "yes"}})
    with pytest.raises(ValueError, match="prefilled ARG: 'nothing' is not a question of framework lac-dgr"):
        synthetic_answers(lac, prefilled={"ARG": {"nothing": "yes"}})
    with pytest.raises(ValueError, match=r"prefilled ARG: 'inn_declaration' must be among \{yes, no\}; got 'maybe'"):
        synthetic_answers(lac, prefilled={"ARG": {"inn_declaration": "maybe"}})


def test_bad_parameters(lac: Framework) -> None:
    with pytest.raises(ValueError, match=r"ISO3 codes such as 'ARG'; got 'ar'"):
        synthetic_answers(lac, ["ar"])
    with pytest.raises(ValueError, match="repeated: ARG"):
        synthetic_answers(lac, ["ARG", "ARG"])
    with pytest.raises(ValueError, match=r"seed must be a whole number >= 0; got -1"):
        synthetic_answers(lac, seed=-1)


def test_maturity_from_an_external_score_is_rescaled() -> None:
    # EGDI-like values: 0.5 -> low, 0.9 -> high, 0.8 -> 0.2 + 0.75 x 0.65 = 0.6875; NaN left out
    assert maturity_from({"HND": 0.5, "URY": 0.9, "MEX": 0.8, "HTI": float("nan")}) == pytest.approx(
        {"HND": 0.2, "URY": 0.85, "MEX": 0.6875}
    )
    assert maturity_from({"A": 0.3, "B": 0.3}, low=0.0, high=1.0) == {"A": 0.5, "B": 0.5}
    with pytest.raises(ValueError, match=r"0 <= low < high <= 1; got 0\.9, 0\.1"):
        maturity_from({"A": 1.0}, low=0.9, high=0.1)


def test_adding_a_country_keeps_the_others_uncalibrated_draws(lac: Framework, demo: SyntheticResponses) -> None:
    wider = synthetic_answers(lac, (*DEFAULT_COUNTRIES, "BOL"), seed=2023)
    maturity = wider.metadata["maturity"]
    assert isinstance(maturity, dict)
    assert {code: maturity[code] for code in DEFAULT_COUNTRIES} == demo.metadata["maturity"]
    for question in ("inv_plan", "svc_dpi_interop", "svc_mandate", "svc_design_capacity"):  # required, no skip logic
        assert [wider.answers[c][question] for c in DEFAULT_COUNTRIES] == [
            demo.answers[c][question] for c in DEFAULT_COUNTRIES
        ]
