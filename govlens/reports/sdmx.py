"""The SDMX structure of a release: an SDMX-ML 2.1 structure message generated from the framework.

It holds the codelists of the export's dimensions (countries, the indicator tree's nodes, the measures), the
concepts, the data structure definition (REF_AREA x INDICATOR x MEASURE, OBS_VALUE, COMMENT_OBS) and the
dataflow that the SDMX-CSV export names in its STRUCTURE_ID, so that an SDMX tool can read the export with
its structure (tested with sdmx1).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from govlens.framework.model import Framework, text_in

MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONCEPT_SCHEME = "CS_GOVLENS"
CONCEPTS: Mapping[str, str] = {
    "REF_AREA": "Reference area (ISO 3166-1 alpha-3)",
    "INDICATOR": "Node of the indicator tree",
    "MEASURE": "Measure (score or rank)",
    "OBS_VALUE": "Observation value",
    "COMMENT_OBS": "Comment on the observation",
}
MEASURE_NAMES: Mapping[str, str] = {
    "SCORE": "Score (0-1)",
    "RANK": "Rank",
    "RANK_P05": "5th percentile rank (uncertainty analysis)",
    "RANK_P95": "95th percentile rank (uncertainty analysis)",
}


def _name(parent: ET.Element, text: str, language: str = "en") -> None:
    element = ET.SubElement(parent, f"{{{COM}}}Name")
    element.set(XML_LANG, language)
    element.text = text


def _ref(parent: ET.Element, **attributes: str) -> None:
    ET.SubElement(parent, "Ref", attributes)  # structure references are unqualified in SDMX-ML 2.1


def _codelist(parent: ET.Element, codelist_id: str, title: str, codes: Sequence[tuple[str, str]], agency: str,
              version: str) -> None:
    codelist = ET.SubElement(parent, f"{{{STR}}}Codelist", id=codelist_id, agencyID=agency, version=version)
    _name(codelist, title)
    for code, label in codes:
        element = ET.SubElement(codelist, f"{{{STR}}}Code", id=code)
        _name(element, label or code)


def structure_xml(
    *,
    dataflow: tuple[str, str, str],
    units: Sequence[str],
    nodes: Sequence[tuple[str, str]],
    measures: Sequence[str],
    title: str,
    prepared: str,
) -> bytes:
    """The structure message: ``dataflow`` is (agency, id, version); ``nodes`` (SDMX code, label) pairs."""
    import pycountry

    agency, flow_id, version = dataflow
    for prefix, uri in (("mes", MES), ("str", STR), ("com", COM)):
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{MES}}}Structure")
    header = ET.SubElement(root, f"{{{MES}}}Header")
    ET.SubElement(header, f"{{{MES}}}ID").text = f"{flow_id}_STRUCTURE"
    ET.SubElement(header, f"{{{MES}}}Test").text = "false"
    ET.SubElement(header, f"{{{MES}}}Prepared").text = prepared
    ET.SubElement(header, f"{{{MES}}}Sender", id=agency)
    structures = ET.SubElement(root, f"{{{MES}}}Structures")

    flows = ET.SubElement(structures, f"{{{STR}}}Dataflows")
    flow = ET.SubElement(flows, f"{{{STR}}}Dataflow", id=flow_id, agencyID=agency, version=version)
    _name(flow, title)
    _ref(ET.SubElement(flow, f"{{{STR}}}Structure"), id=f"DSD_{flow_id}", agencyID=agency, version=version,
         package="datastructure", **{"class": "DataStructure"})

    codelists = ET.SubElement(structures, f"{{{STR}}}Codelists")
    countries = []
    for unit in units:
        country = pycountry.countries.get(alpha_3=unit)
        countries.append((unit, country.name if country is not None else unit))
    _codelist(codelists, "CL_REF_AREA", "Countries", countries, agency, version)
    _codelist(codelists, "CL_INDICATOR", f"Nodes of the {title} indicator tree", nodes, agency, version)
    _codelist(codelists, "CL_MEASURE", "Measures", [(m, MEASURE_NAMES.get(m, m)) for m in measures], agency,
              version)

    schemes = ET.SubElement(structures, f"{{{STR}}}Concepts")
    scheme = ET.SubElement(schemes, f"{{{STR}}}ConceptScheme", id=CONCEPT_SCHEME, agencyID=agency, version=version)
    _name(scheme, "GovLens concepts")
    for concept_id, label in CONCEPTS.items():
        _name(ET.SubElement(scheme, f"{{{STR}}}Concept", id=concept_id), label)

    def identity(parent: ET.Element, concept_id: str) -> None:
        _ref(ET.SubElement(parent, f"{{{STR}}}ConceptIdentity"), id=concept_id, maintainableParentID=CONCEPT_SCHEME,
             maintainableParentVersion=version, agencyID=agency, package="conceptscheme", **{"class": "Concept"})

    dsds = ET.SubElement(structures, f"{{{STR}}}DataStructures")
    dsd = ET.SubElement(dsds, f"{{{STR}}}DataStructure", id=f"DSD_{flow_id}", agencyID=agency, version=version)
    _name(dsd, f"{title}: scores and ranks")
    components = ET.SubElement(dsd, f"{{{STR}}}DataStructureComponents")
    dimensions = ET.SubElement(components, f"{{{STR}}}DimensionList", id="DimensionDescriptor")
    for position, (dimension, codelist_id) in enumerate(
        (("REF_AREA", "CL_REF_AREA"), ("INDICATOR", "CL_INDICATOR"), ("MEASURE", "CL_MEASURE")), start=1
    ):
        element = ET.SubElement(dimensions, f"{{{STR}}}Dimension", id=dimension, position=str(position))
        identity(element, dimension)
        enumeration = ET.SubElement(ET.SubElement(element, f"{{{STR}}}LocalRepresentation"), f"{{{STR}}}Enumeration")
        _ref(enumeration, id=codelist_id, agencyID=agency, version=version, package="codelist",
             **{"class": "Codelist"})
    attributes = ET.SubElement(components, f"{{{STR}}}AttributeList", id="AttributeDescriptor")
    comment = ET.SubElement(attributes, f"{{{STR}}}Attribute", id="COMMENT_OBS", assignmentStatus="Conditional")
    identity(comment, "COMMENT_OBS")
    relation = ET.SubElement(ET.SubElement(comment, f"{{{STR}}}AttributeRelationship"), f"{{{STR}}}PrimaryMeasure")
    _ref(relation, id="OBS_VALUE")
    measure_list = ET.SubElement(components, f"{{{STR}}}MeasureList", id="MeasureDescriptor")
    identity(ET.SubElement(measure_list, f"{{{STR}}}PrimaryMeasure", id="OBS_VALUE"), "OBS_VALUE")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def node_labels(framework: Framework | None, nodes: Sequence[str], language: str = "en") -> dict[str, str]:
    """Node id -> its label in ``language`` (the id when the framework is not at hand)."""
    if framework is None:
        return {node: node for node in nodes}
    labels = {node.id: text_in(node.label, language) for node in framework.nodes}
    return {node: labels.get(node) or node for node in nodes}


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
