"""The framework model: texts in four languages, the tree's navigation and the content fingerprint."""

from __future__ import annotations

from dataclasses import replace

from govlens.framework.model import (
    Framework,
    Node,
    NodeKind,
    Question,
    QuestionType,
    Section,
    text_in,
)


def tiny() -> Framework:
    question = Question("q1", QuestionType.YES_NO, {"en": "Is there a strategy?", "es": "¿Hay una estrategia?"})
    return Framework(
        id="tiny",
        version="1",
        title={"en": "Tiny"},
        sections=(Section("s1", {"en": "Section"}, (question,)),),
        nodes=(
            Node("IDX", NodeKind.INDEX, {"en": "Index"}),
            Node("P1", NodeKind.PILLAR, {"en": "Pillar"}, parent="IDX"),
            Node("I1", NodeKind.INDICATOR, {"en": "Indicator"}, parent="P1", questions=("q1",)),
            Node("I2", NodeKind.INDICATOR, {"en": "Other"}, parent="P1", questions=("q1",), weight=2),
        ),
    )


def test_text_falls_back_to_the_default_language_then_any() -> None:
    assert text_in({"en": "Yes", "es": "Sí"}, "es") == "Sí"
    assert text_in({"en": "Yes", "es": ""}, "es") == "Yes"
    assert text_in({"fr": "Oui"}, "pt") == "Oui"
    assert text_in({}, "en") == ""


def test_yes_no_questions_use_the_built_in_list_unless_told() -> None:
    assert tiny().question("q1").choice_list == "yes_no"
    assert replace(tiny().question("q1"), choices="yes_no_dk").choice_list == "yes_no_dk"
    assert Question("t", QuestionType.TEXT, {}).choice_list is None


def test_tree_navigation() -> None:
    fw = tiny()
    assert fw.root.id == "IDX"
    assert [n.id for n in fw.children("P1")] == ["I1", "I2"]
    assert [n.id for n in fw.leaves()] == ["I1", "I2"]
    assert [n.id for n in fw.ancestors("I2")] == ["P1", "IDX"]
    assert fw.section_of("q1").name == "s1"


def test_ancestors_stop_on_a_cycle() -> None:
    fw = replace(tiny(), nodes=(Node("A", NodeKind.PILLAR, {}, parent="B"), Node("B", NodeKind.PILLAR, {}, parent="A")))
    assert [n.id for n in fw.ancestors("A")] == ["B"]


def test_fingerprint_changes_with_content_and_only_with_content() -> None:
    fw = tiny()
    assert fw.fingerprint() == tiny().fingerprint()
    assert len(fw.fingerprint()) == 64
    reweighted = replace(fw, nodes=(*fw.nodes[:3], replace(fw.nodes[3], weight=3)))
    assert reweighted.fingerprint() != fw.fingerprint()
    relabelled = replace(fw, title={"en": "Tiny", "fr": "Petit"})
    assert relabelled.fingerprint() != fw.fingerprint()


def test_a_framework_built_in_code_and_read_back_from_yaml_are_equal() -> None:
    from govlens.framework.yaml_io import dump_yaml, read_yaml_text

    fw = tiny()
    assert "yes_no" in fw.choice_lists  # the built-in list is part of every framework
    back = read_yaml_text(dump_yaml(fw)).framework
    assert back == fw
    assert back is not None and back.fingerprint() == fw.fingerprint()
