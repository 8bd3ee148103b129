"""The traceability page of a framework: for each seed finding (F01..F43), the questions and indicators that
cite it, and a coverage summary. Deterministic (framework order, no dates), so a test can check that the
committed page is current.
"""

from __future__ import annotations

from govlens.framework.findings import FINDINGS
from govlens.framework.model import Framework, text_in


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def render(framework: Framework, language: str = "en") -> str:
    """Markdown: finding -> questions -> indicators, then the findings nothing cites."""
    questions_by_ref: dict[str, list[str]] = {ref: [] for ref in FINDINGS}
    nodes_by_ref: dict[str, list[str]] = {ref: [] for ref in FINDINGS}
    for question in framework.questions():
        for ref in dict.fromkeys(question.seed_refs):
            if ref in questions_by_ref:
                label = _cell(text_in(question.label, language))
                questions_by_ref[ref].append(f"`{question.name}` {label}".rstrip())
    for node in framework.nodes:
        for ref in dict.fromkeys(node.seed_refs):
            if ref in nodes_by_ref:
                label = _cell(text_in(node.label, language))
                nodes_by_ref[ref].append(f"`{node.id}` {label}".rstrip())

    title = _cell(text_in(framework.title, language)) or framework.id
    total = len(FINDINGS)
    by_question = sum(1 for ref in FINDINGS if questions_by_ref[ref])
    by_node = sum(1 for ref in FINDINGS if nodes_by_ref[ref])
    by_both = sum(1 for ref in FINDINGS if questions_by_ref[ref] and nodes_by_ref[ref])
    lines = [
        f"# Traceability: {framework.id} {framework.version}",
        "",
        "<!-- Generated from the framework by govlens.framework.traceability.render(); do not edit. -->",
        "",
        f"{title}.",
        "",
        "For each finding of the seed review: the questions that ask about it and the indicators that measure it",
        "(from the `seed_refs` of the framework).",
        "",
        "## Coverage",
        "",
        "| | Findings |",
        "|---|---|",
        f"| cited by at least one question | {by_question} of {total} |",
        f"| cited by at least one indicator | {by_node} of {total} |",
        f"| cited by both | {by_both} of {total} |",
        "",
    ]
    uncovered = [ref for ref in FINDINGS if not (questions_by_ref[ref] and nodes_by_ref[ref])]
    if uncovered:
        lines.append("Findings without a question or without an indicator: " + ", ".join(uncovered) + ".")
    else:
        lines.append("Every finding is cited by at least one question and one indicator.")
    lines.append("")
    lines.append("## Findings")
    for ref, topic in FINDINGS.items():
        lines += ["", f"### {ref}: {topic}", ""]
        questions = questions_by_ref[ref]
        nodes = nodes_by_ref[ref]
        lines.append(f"Questions ({len(questions)}):" if questions else "Questions: none.")
        lines += [f"- {item}" for item in questions]
        if questions:
            lines.append("")
        lines.append(f"Indicators ({len(nodes)}):" if nodes else "Indicators: none.")
        lines += [f"- {item}" for item in nodes]
    return "\n".join(lines) + "\n"
