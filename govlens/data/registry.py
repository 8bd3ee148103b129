"""The registry of public datasets: what each one is, who publishes it, under which licence, and how to load it.

Download addresses point at the exact copies described in ``../shared/data/*/PROVENANCE.md`` (pinned commits,
so a download is byte-for-byte the file the loaders were written for). ``source_url`` is the publisher's own
page, which is what a report cites.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from govlens.data import egdi, gtmi, itu, oecd_dgi, oecd_ourdata, sources
from govlens.data.errors import UnknownDataset
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset, SourceFile

_GH = "https://raw.githubusercontent.com"
_GTMIR = f"{_GH}/WB-PIDA-Data-Science-Shop/gtmiR/ebb90afcb04d600a79cb17ec20249e9ccdd9f5f0"
_HAWA = f"{_GH}/hawa-at/ht_portfolio_work/4e3f27f566d8dcb7a77aac0840a5cdf969b73fa3"
_EGDI = f"{_GH}/sevenChrisK/text-mining-week1/26c955ca454343daae8db23d5a7ff7b7614455b4/data"
_EGDI_2024 = f"{_GH}/MaryliaCruzS/Estadistica1CienciaPolitica/a1f17e3a3090cf0ead465be6b16821efb5a63f5d"
_BIPA = f"{_GH}/blavatnik-index/bipa2024_sourcedata/088271d0d6a9c1717d925073166fde8a54f0428b/data_raw"
_ITU = f"{_GH}/Youssif-Alashry/Individuals-using-the-internet-dashboard/3827a14e3527229d9af005d4e08692d10cc1cbb9"

GTMI_PAGE = "https://datacatalog.worldbank.org/int/search/dataset/0037889/govtech-dataset"
GTMI_LICENCE = "CC BY 4.0 (World Bank GovTech Dataset)"
GTMI_CITATION = ("World Bank (2022), GovTech Maturity Index 2022 Update: Trends in Public Sector Digital "
                 "Transformation; GovTech Dataset, Development Data Hub dataset 0037889. CC BY 4.0.")

_SPECS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        name="gtmi-indicators",
        title="GovTech Maturity Index: 48 key indicators",
        publisher="World Bank",
        years="2020, 2022",
        units="198 economies",
        licence=GTMI_LICENCE,
        source_url=GTMI_PAGE,
        citation=GTMI_CITATION,
        folder="gtmi",
        files=(
            SourceFile(gtmi.INDICATORS_FILE, FileKind.XLSX, f"{_HAWA}/data/Clean_GovTech.xlsx",
                       columns=("Year", "Code", "Economy", *gtmi.INDICATOR_CODES), sheet=gtmi.INDICATORS_SHEET,
                       description="key indicators, column subset of the World Bank CG_GTMI_Data sheet"),
        ),
        loader=gtmi.load_gtmi_indicators,
        notes="Both waves use the 2022 numbering; no sub-indicators in the public extract.",
    ),
    DatasetSpec(
        name="gtmi-scores",
        title="GovTech Maturity Index: published GTMI, CGSI, PSDI, DCEI, GTEI and groups A-D",
        publisher="World Bank",
        years="2020, 2022, 2025",
        units="198 economies (197 in 2025)",
        licence=GTMI_LICENCE,
        source_url=GTMI_PAGE,
        citation=GTMI_CITATION,
        folder="gtmi",
        files=(
            SourceFile(gtmi.SCORES_FILE, FileKind.XLSX, f"{_GTMIR}/raw-data/output/groups_data.xlsx",
                       columns=("year", "country_code", "country_name", "grp", *gtmi.SCORE_COLUMNS),
                       sheet=gtmi.SCORES_SHEET, description="published scores and groups"),
            SourceFile(gtmi.SCORES_RDA, FileKind.RDA, f"{_GTMIR}/data/gtmi2025.rda",
                       columns=("year", "country_code", "country_name", "grp", *gtmi.SCORE_COLUMNS),
                       r_object=gtmi.SCORES_R_OBJECT, optional=True,
                       description="the same scores as an R data file, read with pyreadr (cross-check)"),
        ),
        loader=gtmi.load_gtmi_scores,
    ),
    DatasetSpec(
        name="egdi",
        title="UN E-Government Development Index (EGDI) with OSI, TII, HCI and the E-Participation Index",
        publisher="United Nations DESA (UN E-Government Survey)",
        years="2003-2024 (12 editions)",
        units="193 UN member states",
        licence="UN DESA terms (not stated in the copies; not verified)",
        source_url="https://publicadministration.un.org/egovkb/en-us/Data-Center",
        citation="United Nations Department of Economic and Social Affairs, UN E-Government Survey, "
                 "E-Government Knowledgebase Data Center (editions 2003-2024).",
        folder="egdi",
        files=egdi.file_specs({
            **{year: f"{_EGDI}/EGOV_DATA_{year}.csv" for year in egdi.EDITIONS if year != 2024},
            2024: f"{_EGDI_2024}/EGOV_DATA_2024.csv",
        }),
        loader=egdi.load_egdi,
    ),
    DatasetSpec(
        name="dgi",
        title="OECD Digital Government Index (DGI) by dimension",
        publisher="OECD",
        years="2019, 2023",
        units="33 OECD members and 4 partners (2019); 38 countries (2023)",
        licence="OECD terms: re-use permitted for any purpose (https://www.oecd.org/en/about/terms-conditions.html)",
        source_url="https://www.oecd-ilibrary.org/governance/2023-oecd-digital-government-index_1a89ed5e-en",
        citation="OECD (2024), 2023 OECD Digital Government Index: Results and key findings, OECD Public "
                 "Governance Policy Papers No. 44; OECD (2020), Digital Government Index: 2019 results, "
                 "OECD Public Governance Policy Papers No. 03.",
        folder="oecd_dgi",
        files=oecd_dgi.file_specs(f"{_BIPA}/OECD_DGI_2023/oecd_dgi_2023.csv"),
        loader=oecd_dgi.load_dgi,
        notes="2019 is transcribed from the published table (no download); 2023 is extracted from the PDF table.",
    ),
    DatasetSpec(
        name="ourdata",
        title="OECD OURdata Index (open government data) by pillar and sub-pillar",
        publisher="OECD",
        years="2023 (reference year 2022)",
        units="40 countries",
        licence="OECD terms: re-use permitted for any purpose (https://www.oecd.org/en/about/terms-conditions.html)",
        source_url="https://www.oecd-ilibrary.org/governance/2023-oecd-open-useful-and-re-usable-data-ourdata-index"
                   "_a37f51c3-en",
        citation="OECD (2023), 2023 OECD Open, Useful and Re-usable data (OURdata) Index: Results and key "
                 "findings, OECD Public Governance Policy Papers.",
        folder="oecd_ourdata",
        files=oecd_ourdata.file_specs(f"{_BIPA}/OECD_OURDATA_2023/oecd_ourdata_2023.csv"),
        loader=oecd_ourdata.load_ourdata,
    ),
    DatasetSpec(
        name="internet",
        title="Individuals using the internet (% of population)",
        publisher="ITU (via World Bank WDI IT.NET.USER.ZS and Our World in Data)",
        years="1960-2023",
        units="213 economies and aggregates",
        licence="ITU / World Bank terms; OWID chart data CC BY 4.0 (not verified)",
        source_url="https://ourworldindata.org/grapher/share-of-individuals-using-the-internet",
        citation="International Telecommunication Union, World Telecommunication/ICT Indicators database, via "
                 "World Bank (IT.NET.USER.ZS) and Our World in Data.",
        folder="itu_internet",
        files=itu.file_specs(f"{_ITU}/share-of-individuals-using-the-internet.csv"),
        loader=itu.load_internet,
        year_kind="observation",
    ),
)

DATASETS: Mapping[str, DatasetSpec] = {spec.name: spec for spec in _SPECS}


def get_spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise UnknownDataset(name, DATASETS)
    return DATASETS[name]


def parse_selector(selector: str) -> tuple[DatasetSpec, int | None]:
    """``NAME`` or ``NAME-YEAR`` (e.g. ``dgi-2023``, ``egdi-2024``) -> (dataset, year or None)."""
    text = selector.strip()
    if text in DATASETS:
        return DATASETS[text], None
    match = re.fullmatch(r"(.+)-(\d{4})", text)
    if match and match.group(1) in DATASETS:
        return DATASETS[match.group(1)], int(match.group(2))
    raise UnknownDataset(selector, [*DATASETS, "NAME-YEAR"])


def load(name: str, mirror: Path | str | None = None) -> LoadedDataset:
    """Load a registered dataset from the mirror (argument or GOVLENS_DATA_MIRROR) or the cache."""
    spec = get_spec(name)
    files = sources.locate(spec, mirror)
    dataset = spec.loader(spec, files)
    dataset.checksums = {path.name: sources.sha256(path) for path in dataset.files}
    return dataset


def pull(name: str, mirror: Path | str | None = None) -> dict[str, Path]:
    """Fill the cache with a dataset (from the mirror when one is set, else by downloading)."""
    return sources.pull(get_spec(name), mirror)
