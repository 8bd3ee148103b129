"""The traceability page: per finding, the questions and indicators citing it, and the coverage."""

from __future__ import annotations

from govlens.framework.findings import FINDINGS
from govlens.framework.model import Framework
from govlens.framework.traceability import render


def _block(page: str, ref: str) -> str:
    """The part of the page under the heading of finding ``ref``."""
    start = page.index(f"### {ref}:")
    end = page.find("\n### ", start + 1)
    return page[start:] if end == -1 else page[start:end]


def test_findings_list_their_questions_and_indicators(small_model: Framework) -> None:
    page = render(small_model)
    # in the small framework: F01 <- org_exists, org_scope / P1, I1; F02 <- org_scope / I1; F04 <- strategy_year / I2
    f01 = _block(page, "F01")
    assert "Questions (2):" in f01
    assert "- `org_exists` Is there a lead organisation?" in f01
    assert "- `org_scope` Scope" in f01
    assert "Indicators (2):" in f01 and "- `P1` Pillar" in f01 and "- `I1` Organisation" in f01
    f02 = _block(page, "F02")
    assert "Questions (1):" in f02 and "Indicators (1):" in f02
    f04 = _block(page, "F04")
    assert "- `strategy_year` Strategy year" in f04 and "- `I2` Services" in f04
    f43 = _block(page, "F43")
    assert "Questions: none." in f43 and "Indicators: none." in f43


def test_every_finding_has_a_heading_with_its_topic(small_model: Framework) -> None:
    page = render(small_model)
    for ref, topic in FINDINGS.items():
        assert f"### {ref}: {topic}\n" in page
    assert len(FINDINGS) == 43


def test_coverage_summary(small_model: Framework) -> None:
    page = render(small_model)
    assert "| cited by at least one question | 3 of 43 |" in page
    assert "| cited by at least one indicator | 3 of 43 |" in page
    assert "| cited by both | 3 of 43 |" in page
    assert "Findings without a question or without an indicator: F03, F05," in page


def test_render_is_deterministic_and_follows_the_language(small_model: Framework) -> None:
    assert render(small_model) == render(small_model)
    assert "- `org_scope` Alcance" in render(small_model, "es")
