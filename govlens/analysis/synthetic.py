"""SYNTHETIC demo answers for the lac-dgr framework: generated from a seed, never real country answers.

The demo needs a cycle of answers to show the whole review. These are made up, labelled synthetic in their
metadata (``SyntheticResponses.metadata["synthetic"] is True`` and a label in four languages that every page and
file showing them must carry), and built so that:

* they are valid: skip logic respected, types and constraints met, every relevant required question answered,
  so ``validate_answers(framework, answers, submitting=True)`` finds no error;
* they are **calibrated**: over the countries asked for (by default 17 countries standing in for the 17 the
  seed surveyed), every finding of the seed has the share behind its statement fixed (:data:`CALIBRATION`),
  so that each statement follows the direction the seed gives it (``directions/lac-dgr.yaml``) for any seed.
  The shares the seed reports come out exactly: an organisation in charge of digital government in 15 of 17
  (F01, 88%), a co-ordination body in 10 of 17 (F02, 59%), a national digital government strategy in 16 of 17
  (F04, 94%) and half of those strategies from 2020 or before, each established legal topic covered in 15 or
  16 of 17 (above 80%) and each advanced topic in 8 or 9 (about half) (F07), adherence to the OECD Declaration
  on Public Sector Innovation in 7 of 17 (F39, 41%). Where the seed uses words, the count sits inside the band
  they call for (none, few, a minority, about half, most), some among sub-groups (of the lead organisations,
  the co-ordination bodies, the strategies ...) and two on indicator scores (:class:`ScoreTarget`). For
  another number of countries the counts are the same shares rounded (halves up);
* the other answers look plausible: each country has a latent maturity in [0, 1] (given, e.g. from EGDI 2024,
  or drawn from the seed), and each answer is drawn near it with noise;
* they are reproducible: the same seed, countries and maturity give the same answers bit for bit. Each answer
  is drawn from a generator keyed by (seed, country, question), so adding a country leaves the other
  countries' maturities and their draws for uncalibrated questions unchanged (which countries get the
  calibrated answers may change, and with them the answers that skip logic ties to those);
* they can be **pre-filled**: answers known from public data are kept, and calibration works around them.
"""

from __future__ import annotations

import datetime
import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from govlens.framework.answers import Answer, AnswerError, coerce_answer
from govlens.framework.model import Framework, Question, QuestionType, ScoringMethod
from govlens.framework.scoring import question_options, relevant_questions

__all__ = [
    "CALIBRATION",
    "DEFAULT_COUNTRIES",
    "SYNTHETIC_LABEL",
    "YEAR_CALIBRATION",
    "SyntheticResponses",
    "Target",
    "YearTarget",
    "maturity_from",
    "synthetic_answers",
]

# A stand-in for the 17 countries the seed surveyed (the seed does not list them): large and small countries of
# the three sub-regions. Any list of ISO3 codes can be passed instead.
DEFAULT_COUNTRIES: tuple[str, ...] = (
    "ARG",
    "BRA",
    "CHL",
    "COL",
    "ECU",
    "PER",
    "PRY",
    "URY",  # South America
    "CRI",
    "GTM",
    "HND",
    "MEX",
    "PAN",
    "SLV",  # Central America (M49, with Mexico)
    "DOM",
    "JAM",
    "TTO",  # Caribbean
)

SYNTHETIC_LABEL: Mapping[str, str] = {
    "en": "SYNTHETIC DEMO DATA: generated from a random seed; these are not the answers of any country.",
    "es": "DATOS SINTÉTICOS DE DEMOSTRACIÓN: generados a partir de una semilla aleatoria; no son las respuestas de "
    "ningún país.",
    "pt": "DADOS SINTÉTICOS DE DEMONSTRAÇÃO: gerados a partir de uma semente aleatória; não são as respostas de "
    "nenhum país.",
    "fr": "DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION : générées à partir d'une graine aléatoire ; ce ne sont les "
    "réponses d'aucun pays.",
}


@dataclass(frozen=True)
class Target:
    """``count`` of ``of`` countries answer ``question`` with one of ``options``; with ``among``, the countries
    are those whose (calibrated) answer to another question is one of the given options, e.g. 7 of the 15
    countries with a lead organisation give it a power. Counts scale to other numbers of countries."""

    question: str
    options: tuple[str, ...]
    count: int
    finding: str
    of: int = 17
    among: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class ScoreTarget:
    """``count`` of ``of`` countries score at least ``at_least`` on ``indicator`` (the mean of its questions'
    scores): every question of the indicator gets, in the chosen countries, an answer that scores at least
    ``at_least`` and, in the others, one that scores less (so the mean falls on the same side)."""

    indicator: str
    at_least: float
    count: int
    finding: str
    of: int = 17


@dataclass(frozen=True)
class YearTarget:
    """Of the countries asked ``question``, the share ``share`` answer a year <= ``at_most``."""

    question: str
    at_most: int
    share: Fraction
    finding: str


_COVERED = ("full", "partial")  # a legal topic is covered when the law covers it fully or partly (not a draft)
_WITH_ORG = ("gov_dg_org_exists", ("yes",))
_WITH_BODY = ("gov_coord_exists", ("yes",))
_WITH_NDGS = ("gov_ndgs_exists", ("yes",))
# The shares of the seed's findings (govlens/analysis/directions/lac-dgr.yaml gives each finding's direction and
# the seed's words; a test checks that every finding statement follows it, whatever the seed). Where the seed
# gives no figure, the count is chosen well inside the quantifier band its words call for ("few": 2 or 3 of 17,
# "a minority": 4 to 7, "about half": 8, "most": 12 to 15), so that rounding to another number of countries
# keeps the band.
CALIBRATION: tuple[Target | ScoreTarget, ...] = (
    Target("gov_dg_org_exists", ("yes",), 15, "F01"),
    Target("gov_coord_exists", ("yes",), 10, "F02"),
    Target("gov_ndgs_exists", ("yes",), 16, "F04"),
    # F07: the six established topics, each above 80% (15/17 = 88%, so that rounded to 10 countries it stays so)
    Target("gov_law_privacy", _COVERED, 16, "F07"),
    Target("gov_law_access_info", _COVERED, 16, "F07"),
    Target("gov_law_esignature", _COVERED, 15, "F07"),
    Target("gov_law_eprocurement", _COVERED, 15, "F07"),
    Target("gov_law_cybersecurity", _COVERED, 15, "F07"),
    Target("gov_law_digital_gov", _COVERED, 15, "F07"),
    # F07: the advanced topics, each about half (8/17 = 47%, 9/17 = 53%)
    Target("gov_law_digital_id", _COVERED, 9, "F07"),
    Target("gov_law_once_only", _COVERED, 8, "F07"),
    Target("gov_law_private_data", _COVERED, 8, "F07"),
    Target("gov_law_digital_by_design", _COVERED, 9, "F07"),
    Target("gov_law_cloud", _COVERED, 9, "F07"),
    Target("gov_law_sandboxes", _COVERED, 8, "F07"),
    Target("gov_law_ai", _COVERED, 8, "F07"),
    Target("gov_law_emerging_tech", _COVERED, 8, "F07"),
    Target("gov_law_right_to_challenge", _COVERED, 9, "F07"),
    Target("inn_declaration", ("yes",), 7, "F39"),
    # F01: only half or less of the lead organisations hold each decision-making power
    Target("gov_dg_power_funding", ("yes",), 7, "F01", of=15, among=_WITH_ORG),
    Target("gov_dg_power_approve", ("yes",), 7, "F01", of=15, among=_WITH_ORG),
    Target("gov_dg_power_reviews", ("yes",), 6, "F01", of=15, among=_WITH_ORG),
    Target("gov_dg_power_standards", ("yes",), 7, "F01", of=15, among=_WITH_ORG),
    Target("gov_dg_power_halt", ("yes",), 5, "F01", of=15, among=_WITH_ORG),
    # F03: most co-ordination bodies only advise; few take binding decisions
    Target("gov_coord_role", ("decision",), 2, "F03", of=10, among=_WITH_BODY),
    # F04: most strategies have monitoring instruments
    Target("gov_ndgs_monitoring", ("yes",), 12, "F04", of=16, among=_WITH_NDGS),
    # F05: strategies act on digital public infrastructure
    Target("gov_ndgs_areas", ("dpi",), 12, "F05", of=16, among=_WITH_NDGS),
    # F06: broader digital agendas are common, but few of them set targets on skills and talent
    Target("gov_agenda_exists", ("yes",), 14, "F06"),
    Target("gov_agenda_targets", ("skills_talent",), 4, "F06", of=14, among=("gov_agenda_exists", ("yes",))),
    # F08-F14: digital investments
    Target("inv_dg_budget_role", ("joint",), 5, "F08"),
    Target("inv_business_case", ("mandatory",), 5, "F09"),
    Target(
        "inv_value_elements",
        ("scale_reuse", "network_effects"),
        3,
        "F10",
        of=12,
        among=("inv_business_case", ("mandatory", "voluntary")),
    ),
    Target("inv_std_architecture", ("mandatory",), 5, "F11"),
    Target("inv_innov_proc_use", ("regular",), 2, "F12"),
    Target("inv_portfolio_monitoring", ("whole_gov",), 0, "F13"),
    Target("inv_ux_collection", ("whole_gov",), 5, "F14"),
    # F15-F17: culture, skills and talent
    Target("skl_poc_allowed", ("yes",), 6, "F15"),
    Target("skl_fw_general", ("dedicated",), 13, "F16"),
    Target("skl_fw_management", ("dedicated",), 5, "F16"),
    Target("skl_fw_frontline", ("dedicated",), 3, "F16"),
    Target("skl_talent_strategy", ("whole_gov",), 0, "F17"),
    # F18-F29: data
    Target("dat_interop_framework", ("mandatory",), 7, "F18"),
    Target("dat_pdp_law", ("yes",), 15, "F19"),
    Target("dat_coord_technical", ("yes",), 5, "F20"),
    Target("dat_role_stewards", ("whole_gov",), 3, "F21"),
    ScoreTarget("I4.1.3", 0.5, 5, "F22"),
    Target("dat_role_cdo", ("dedicated",), 2, "F23"),
    Target("dat_strategy_exists", ("yes",), 4, "F24"),
    Target("dat_cross_border", ("yes",), 5, "F25"),
    Target("dat_od_continuity", ("yes",), 6, "F26"),
    Target("dat_od_monitoring", ("impact",), 2, "F27"),
    Target("dat_pdp_citizen_tools", ("access_log",), 6, "F28"),
    Target("dat_risk_approach", ("proactive",), 5, "F29"),
    # F30-F36: public services and digital public infrastructure
    Target("svc_policy_exists", ("yes",), 6, "F30"),
    Target("svc_channel_approach", ("omni_channel",), 3, "F31"),
    Target("svc_user_research", ("lifecycle",), 2, "F32"),
    ScoreTarget("I5.2.3", 0.5, 5, "F33"),
    Target("svc_standard", ("mandatory",), 5, "F34"),
    Target("svc_cap_inhouse", ("main",), 13, "F35"),
    Target("svc_cap_govtech", ("main",), 2, "F35"),
    Target("svc_dpi_identity", ("whole_gov",), 8, "F36"),
    Target("svc_dpi_open_source", ("mandatory",), 2, "F36"),
    # F37-F43: innovation and GovTech
    Target("inn_facet_anticipatory", ("a4", "a5"), 5, "F37"),
    Target("inn_psi_strategy", ("yes",), 5, "F38"),
    Target("inn_skill_storytelling_training", ("yes",), 5, "F40"),
    # F41: AI explored by most; strategies for other technologies, and their regular use, in few
    Target("inn_tech_ai", ("scaled", "pilots"), 13, "F41"),
    Target("inn_tech_strategies", ("big_data", "iot", "blockchain", "other"), 3, "F41"),
    Target("inn_tech_big_data", ("scaled",), 3, "F41"),
    Target("inn_tech_iot", ("scaled",), 1, "F41"),
    Target("inn_tech_blockchain", ("scaled",), 2, "F41"),
    Target("inn_gt_partnerships", ("regular",), 6, "F42"),
    Target("inn_gt_entity", ("yes",), 0, "F43"),
)
YEAR_CALIBRATION: tuple[YearTarget, ...] = (YearTarget("gov_ndgs_year", 2020, Fraction(1, 2), "F04"),)

# Options that are not scored, drawn with these weights (F01: lead organisations sit mostly in a line ministry
# or a dedicated agency, less often in the centre of government or a co-ordinating ministry).
_OPTION_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "gov_dg_org_location": {
        "line_ministry": 0.4,
        "special_agency": 0.3,
        "centre_of_gov": 0.15,
        "coord_ministry": 0.1,
        "other": 0.05,
    },
}
_NOISE = 0.22  # spread of an answer's propensity around the country's maturity
_YEARS = (2008, 2024)  # years of synthetic policies, within each question's constraint
_BOUND = re.compile(r"\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class SyntheticResponses:
    """Synthetic answers (ISO3 -> question -> typed answer) and the metadata that labels them synthetic."""

    answers: Mapping[str, Mapping[str, Answer]]
    metadata: Mapping[str, object] = field(default_factory=dict)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(self.answers)

    @property
    def synthetic(self) -> bool:
        return bool(self.metadata.get("synthetic"))


def _key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _rng(seed: int, *parts: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(_key(part) for part in parts)])


def _scaled(count: int, of: int, total: int) -> int:
    """The calibrated count for ``total`` countries: count/of of them, halves rounded up."""
    return int(Fraction(count * total, of) + Fraction(1, 2))


def _bounds(question: Question) -> tuple[float | None, float | None, bool, bool]:
    """(low, high, low strict, high strict) read from a constraint such as ``. >= 1990 and . <= 2030``."""
    low: float | None = None
    high: float | None = None
    low_strict = high_strict = False
    for op, number in _BOUND.findall(question.constraint or ""):
        if op in (">=", ">"):
            low, low_strict = float(number), op == ">"
        else:
            high, high_strict = float(number), op == "<"
    return low, high, low_strict, high_strict


class _Generator:
    """Draws one country's answers near its maturity."""

    def __init__(self, framework: Framework, seed: int, country: str, maturity: float):
        self.framework = framework
        self.seed = seed
        self.country = country
        self.maturity = maturity

    def rng(self, question: Question) -> np.random.Generator:
        return _rng(self.seed, self.country, question.name)

    def propensity(self, rng: np.random.Generator) -> float:
        return float(np.clip(self.maturity + rng.normal(0.0, _NOISE), 0.0, 1.0))

    def answer(self, question: Question) -> Answer:
        rng = self.rng(question)
        kind = question.type
        if kind is QuestionType.SELECT_MULTIPLE:
            return self._multiple(question, rng)
        if kind.is_select:
            options = question_options(self.framework, question) or ("yes", "no")
            return self._one(question, options, rng)
        if kind.is_number:
            return self._number(question, rng)
        if kind is QuestionType.URL:
            return f"https://example.org/synthetic/{self.country.lower()}/{question.name}"
        return f"Synthetic answer for {self.country}"

    def _one(self, question: Question, options: Sequence[str], rng: np.random.Generator) -> str:
        scoring = question.scoring
        if scoring is not None and scoring.method is ScoringMethod.POINTS and scoring.points:
            return _nearest(options, scoring.points, self.propensity(rng), rng)
        weights = _OPTION_WEIGHTS.get(question.name, {})
        p = np.array([weights.get(option, 1.0) for option in options], dtype=float)
        return str(options[int(rng.choice(len(options), p=p / p.sum()))])

    def _multiple(self, question: Question, rng: np.random.Generator) -> tuple[str, ...]:
        counted, others = _counted(self.framework, question)
        p = float(np.clip(self.propensity(rng), 0.05, 0.95))
        k = int(rng.binomial(len(counted), p))
        if k == 0:
            return (others[0],) if others else (counted[int(rng.integers(len(counted)))],)
        chosen = set(rng.choice(len(counted), size=k, replace=False).tolist())
        return tuple(option for index, option in enumerate(counted) if index in chosen)

    def selection(
        self,
        question: Question,
        rng: np.random.Generator,
        *,
        must: Sequence[str] = (),
        avoid: Sequence[str] = (),
        sizes: tuple[int, int] | None = None,
    ) -> tuple[str, ...]:
        """A multiple choice that selects at least one of ``must`` and none of ``avoid``, with a number of
        counted options in ``sizes`` (inclusive) when given; more options the more mature. Nothing counted
        selected gives the question's exclusive option ("none")."""
        counted, others = _counted(self.framework, question)
        pool = [option for option in counted if option not in avoid]
        low, high = sizes if sizes is not None else (1 if must else 0, len(pool))
        p = float(np.clip(self.propensity(rng), 0.05, 0.95))
        k = min(max(int(rng.binomial(len(pool), p)), low), high, len(pool))
        chosen: set[str] = set()
        wanted = [option for option in must if option in pool]
        if wanted and k > 0:
            chosen.add(wanted[int(rng.integers(len(wanted)))])
        rest = [option for option in pool if option not in chosen]
        extra = max(k - len(chosen), 0)
        chosen.update(rest[index] for index in rng.choice(len(rest), size=extra, replace=False).tolist())
        if not chosen:
            return (others[0],) if others else ()
        return tuple(option for option in counted if option in chosen)

    def _number(self, question: Question, rng: np.random.Generator) -> int | float:
        low, high, low_strict, high_strict = _bounds(question)
        u = self.propensity(rng)
        if question.type is QuestionType.YEAR:
            first = max(int(low) + int(low_strict) if low is not None else _YEARS[0], _YEARS[0])
            last = min(int(high) - int(high_strict) if high is not None else _YEARS[1], _YEARS[1])
            return round(first + u * (last - first))
        scoring = question.scoring
        if scoring is not None and scoring.method is ScoringMethod.LINEAR and scoring.low is not None:
            top = scoring.high if scoring.high is not None else scoring.low + 1
            value = scoring.low + u * (top - scoring.low)
        elif low is not None and high is not None:
            value = low + u * (high - low)
        else:
            # an amount with no scale (e.g. a money threshold): 30 000 to 3 million, by orders of magnitude
            value = float(round(10 ** (4.5 + 2 * u), -3))
        if low is not None:
            value = max(value, low + (1 if low_strict else 0))
        if high is not None:
            value = min(value, high - (1 if high_strict else 0))
        if question.type is QuestionType.INTEGER:
            return round(value)
        return round(float(value), 1)


def _counted(framework: Framework, question: Question) -> tuple[list[str], list[str]]:
    """The options of a multiple choice that count towards its score, and the others (e.g. "none")."""
    options = question_options(framework, question) or ()
    scoring = question.scoring
    if scoring is not None and scoring.method is ScoringMethod.POINTS:
        counted = [option for option in options if scoring.points.get(option, 0) > 0]
    elif scoring is not None:
        counted = [option for option in options if option not in scoring.exclude]
    else:
        counted = [option for option in options if option != "none"]
    return counted, [option for option in options if option not in counted]


def _nearest(options: Sequence[str], points: Mapping[str, float], target: float, rng: np.random.Generator) -> str:
    """The option whose points are nearest ``target`` (ties drawn at random)."""
    distance = [abs(points.get(option, 0.0) - target) for option in options]
    best = min(distance)
    tied = [option for option, gap in zip(options, distance, strict=True) if gap - best < 1e-12]
    return tied[int(rng.integers(len(tied)))] if len(tied) > 1 else tied[0]


def _check(countries: Sequence[str], seed: int, rate: float) -> None:
    bad = [code for code in countries if not (isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code))]
    if bad:
        raise ValueError(f"countries must be ISO3 codes such as 'ARG'; got {', '.join(map(repr, bad))}")
    repeated = sorted({code for code in countries if list(countries).count(code) > 1})
    if repeated:
        raise ValueError(f"countries must be unique; repeated: {', '.join(repeated)}")
    if not countries:
        raise ValueError("countries must list at least one ISO3 code; got none")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"optional_answer_rate must be from 0 to 1; got {rate}")


def maturity_from(values: Mapping[str, float], *, low: float = 0.2, high: float = 0.85) -> dict[str, float]:
    """Latent maturities from an external score (e.g. EGDI 2024 by ISO3): min-max rescaled to [low, high], so
    that the demo spreads countries across the scale rather than bunching them where the score does (EGDI of
    the 17 default countries runs from about 0.49 to 0.90). NaN values are left out; equal values map to the
    middle of the range."""
    if not 0.0 <= low < high <= 1.0:
        raise ValueError(f"low and high must satisfy 0 <= low < high <= 1; got {low}, {high}")
    present = {code: float(value) for code, value in values.items() if not np.isnan(float(value))}
    if not present:
        return {}
    smallest, largest = min(present.values()), max(present.values())
    if largest == smallest:
        return {code: (low + high) / 2 for code in present}
    return {code: low + (value - smallest) / (largest - smallest) * (high - low) for code, value in present.items()}


def _maturities(countries: Sequence[str], seed: int, given: Mapping[str, float] | None) -> dict[str, float]:
    levels: dict[str, float] = {}
    for country in countries:
        if given is not None and country in given:
            levels[country] = float(np.clip(float(given[country]), 0.0, 1.0))
        else:
            levels[country] = float(_rng(seed, country, "maturity").uniform(0.25, 0.85))
    return levels


def _pick(countries: Sequence[str], k: int, maturity: Mapping[str, float], rng: np.random.Generator) -> set[str]:
    """``k`` countries, the more mature more likely: the top ``k`` of maturity plus noise."""
    keys = [maturity[country] + rng.normal(0.0, _NOISE) for country in countries]
    order = sorted(range(len(countries)), key=lambda index: (-keys[index], countries[index]))
    return {countries[index] for index in order[:k]}


def _calibrated(question: Question, options: Sequence[str], generator: _Generator) -> str:
    """A draw for a calibrated question restricted to ``options`` (the best-scoring near the maturity)."""
    rng = _rng(generator.seed, generator.country, question.name, "calibrated")
    scoring = question.scoring
    if scoring is not None and scoring.points:
        return _nearest(options, scoring.points, generator.propensity(rng), rng)
    return str(options[int(rng.integers(len(options)))])


def _calibrated_answer(question: Question, counted: bool, options: Sequence[str], generator: _Generator) -> Answer:
    """The answer of a country to a calibrated question: one of ``options`` when ``counted`` (a multiple
    choice: selecting at least one of them), none of them otherwise."""
    if question.type is QuestionType.SELECT_MULTIPLE:
        rng = _rng(generator.seed, generator.country, question.name, "calibrated")
        return generator.selection(question, rng, must=options if counted else (), avoid=() if counted else options)
    allowed = question_options(generator.framework, question) or ()
    pool = tuple(options) if counted else tuple(option for option in allowed if option not in options)
    return _calibrated(question, pool, generator)


def _score_split(question: Question, framework: Framework, at_least: float) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The options of a select question that score at least ``at_least`` and those that score less."""
    scoring = question.scoring
    options = question_options(framework, question) or ()
    if scoring is None or scoring.method is not ScoringMethod.POINTS or question.type is QuestionType.SELECT_MULTIPLE:
        raise ValueError(f"a score target needs single-choice questions scored by points; got '{question.name}'")
    high = tuple(option for option in options if scoring.points.get(option, 0.0) >= at_least)
    low = tuple(option for option in options if scoring.points.get(option, 0.0) < at_least)
    return high, low


def _score_answer(question: Question, high: bool, at_least: float, generator: _Generator) -> Answer:
    """An answer that scores at least ``at_least`` (``high``) or less."""
    if (
        question.type is QuestionType.SELECT_MULTIPLE
        and question.scoring is not None
        and (question.scoring.method is ScoringMethod.SHARE_SELECTED)
    ):
        counted, _ = _counted(generator.framework, question)
        least = math.ceil(at_least * len(counted) - 1e-9)  # the fewest options selected that reach the bound
        sizes = (least, len(counted)) if high else (0, max(least - 1, 0))
        rng = _rng(generator.seed, generator.country, question.name, "calibrated")
        return generator.selection(question, rng, sizes=sizes)
    upper, lower = _score_split(question, generator.framework, at_least)
    return _calibrated(question, upper if high else lower, generator)


def synthetic_answers(
    framework: Framework,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
    *,
    seed: int = 2023,
    maturity: Mapping[str, float] | None = None,
    optional_answer_rate: float = 0.9,
    prefilled: Mapping[str, Mapping[str, object]] | None = None,
    today: datetime.date | None = None,
) -> SyntheticResponses:
    """Synthetic, calibrated answers of ``countries`` to ``framework`` (made for lac-dgr: calibration targets
    whose questions the framework lacks are skipped).

    ``maturity`` maps ISO3 codes to a level in [0, 1] (e.g. EGDI 2024); countries it lacks get one drawn from
    the seed. ``optional_answer_rate`` is the chance that a question that is not required is answered.
    ``prefilled`` (ISO3 -> question -> answer, e.g. from public data where the mapping holds) fixes those
    answers; calibration then chooses among the other countries so that the counts still come out (when the
    prefilled answers alone exceed a target, the count reached is recorded in the metadata). Prefilled answers
    to questions the form would skip are dropped like any other.
    """
    countries = tuple(countries)
    _check(countries, seed, optional_answer_rate)
    levels = _maturities(countries, seed, maturity)
    questions = {question.name: question for question in framework.questions()}
    generators = {country: _Generator(framework, seed, country, levels[country]) for country in countries}
    given = _prefilled(framework, countries, prefilled or {})

    # calibrated answers first: which countries give a counted answer, then which answer each gives
    fixed: dict[str, dict[str, Answer]] = {country: {} for country in countries}
    applied: list[dict[str, object]] = []
    for target in CALIBRATION:
        if isinstance(target, ScoreTarget):
            applied_score = _calibrate_score(framework, target, countries, levels, seed, given, generators, fixed)
            if applied_score is not None:
                applied.append(applied_score)
            continue
        question = questions.get(target.question)
        if question is None:
            continue
        candidates = countries
        if target.among is not None:
            parent, parent_options = target.among
            candidates = tuple(country for country in countries if fixed[country].get(parent) in parent_options)
        count = _scaled(target.count, target.of, len(candidates))
        locked = [country for country in candidates if target.question in given[country]]
        held = {country for country in locked if _counts(given[country][target.question], target.options)}
        free = tuple(country for country in candidates if country not in locked)
        needed = min(max(count - len(held), 0), len(free))
        chosen = held | _pick(free, needed, levels, _rng(seed, "calibration", target.question))
        for country in countries:
            if target.question in given[country]:
                fixed[country][target.question] = given[country][target.question]
                continue
            counted = country in chosen
            fixed[country][target.question] = _calibrated_answer(question, counted, target.options, generators[country])
        applied.append(
            {
                "question": target.question,
                "options": list(target.options),
                "target": count,
                "count": len(chosen),
                "total": len(candidates),
                "among": None
                if target.among is None
                else {"question": target.among[0], "options": list(target.among[1])},
                "finding": target.finding,
            }
        )

    answers: dict[str, dict[str, Answer]] = {}
    for country in countries:
        generator = generators[country]
        row: dict[str, Answer] = {}
        for name, question in questions.items():
            if name in given[country]:
                row[name] = given[country][name]
                continue
            if name in fixed[country]:
                row[name] = fixed[country][name]
                continue
            keep = question.required or _rng(seed, country, name, "answered").random() < optional_answer_rate
            if keep:
                row[name] = generator.answer(question)
        answers[country] = _apply_skip_logic(framework, row, generator, today)

    for year_target in YEAR_CALIBRATION:
        applied_year = _calibrate_years(framework, answers, year_target, levels, seed, given)
        if applied_year is not None:
            applied.append(applied_year)

    metadata: dict[str, object] = {
        "synthetic": True,
        "label": dict(SYNTHETIC_LABEL),
        "generator": "govlens.analysis.synthetic",
        "framework": {"id": framework.id, "version": framework.version},
        "seed": seed,
        "countries": list(countries),
        "maturity": dict(levels),
        "maturity_given": sorted(country for country in countries if maturity is not None and country in maturity),
        "optional_answer_rate": optional_answer_rate,
        "calibration": applied,
        "prefilled": {country: sorted(given[country]) for country in countries if given[country]},
    }
    return SyntheticResponses(answers=answers, metadata=metadata)


def _counts(value: Answer, options: Sequence[str]) -> bool:
    """Whether an answer is one of ``options`` (a multiple choice: selects at least one of them)."""
    chosen = value if isinstance(value, tuple) else (value,)
    return any(option in chosen for option in options)


def _calibrate_score(
    framework: Framework,
    target: ScoreTarget,
    countries: Sequence[str],
    levels: Mapping[str, float],
    seed: int,
    given: Mapping[str, Mapping[str, Answer]],
    generators: Mapping[str, _Generator],
    fixed: dict[str, dict[str, Answer]],
) -> dict[str, object] | None:
    """Answer the questions of an indicator so that ``target.count`` countries score at least the bound on it.
    Countries with a prefilled answer to one of those questions keep their answers and are not chosen."""
    try:
        node = framework.node(target.indicator)
    except KeyError:
        return None
    names = [name for name in node.questions if name not in fixed[countries[0]]] if countries else []
    questions = [framework.question(name) for name in names]
    free = tuple(country for country in countries if not any(name in given[country] for name in names))
    count = _scaled(target.count, target.of, len(countries))
    chosen = _pick(free, min(count, len(free)), levels, _rng(seed, "calibration", target.indicator))
    for country in countries:
        for question in questions:
            if question.name in given[country]:
                fixed[country][question.name] = given[country][question.name]
            elif country in free:
                high = country in chosen
                fixed[country][question.name] = _score_answer(question, high, target.at_least, generators[country])
    return {
        "indicator": target.indicator,
        "at_least": target.at_least,
        "questions": names,
        "target": count,
        "count": len(chosen),
        "total": len(countries),
        "finding": target.finding,
    }


def _prefilled(
    framework: Framework, countries: Sequence[str], prefilled: Mapping[str, Mapping[str, object]]
) -> dict[str, dict[str, Answer]]:
    """The prefilled answers, typed; unknown countries, questions, options or values are parameter errors."""
    unknown = [country for country in prefilled if country not in countries]
    if unknown:
        raise ValueError(f"prefilled answers must be for the countries generated; got {', '.join(unknown)}")
    questions = {question.name: question for question in framework.questions()}
    typed: dict[str, dict[str, Answer]] = {country: {} for country in countries}
    for country, row in prefilled.items():
        for name, raw in row.items():
            question = questions.get(name)
            if question is None:
                raise ValueError(f"prefilled {country}: '{name}' is not a question of framework {framework.id}")
            try:
                value = coerce_answer(question, raw)
            except AnswerError as error:
                raise ValueError(f"prefilled {country}: {error}") from None
            allowed = question_options(framework, question)
            chosen = value if isinstance(value, tuple) else (value,)
            if question.type.is_select and allowed is not None and any(item not in allowed for item in chosen):
                raise ValueError(f"prefilled {country}: '{name}' must be among {{{', '.join(allowed)}}}; got {raw!r}")
            if value is not None:
                typed[country][name] = value
    return typed


def _apply_skip_logic(
    framework: Framework, row: dict[str, Answer], generator: _Generator, today: datetime.date | None
) -> dict[str, Answer]:
    """Drop the answers the form would not ask; answer any relevant required question left blank."""
    for _ in range(10):  # converges in one or two rounds: skip logic only looks back up the form
        relevant = relevant_questions(framework, row, today=today)
        changed = False
        for name in list(row):
            if name not in relevant:
                del row[name]
                changed = True
        for question in framework.questions():
            if question.name in relevant and question.required and row.get(question.name) is None:
                row[question.name] = generator.answer(question)
                changed = True
        if not changed:
            break
    order = [question.name for question in framework.questions()]
    return {name: row[name] for name in order if name in row}


def _calibrate_years(
    framework: Framework,
    answers: dict[str, dict[str, Answer]],
    target: YearTarget,
    levels: Mapping[str, float],
    seed: int,
    given: Mapping[str, Mapping[str, Answer]],
) -> dict[str, object] | None:
    """Rewrite the years of a year question so that the target share of those answering is <= at_most (the
    prefilled years stay as they are)."""
    try:
        question = framework.question(target.question)
    except KeyError:
        return None
    answering = [country for country in answers if answers[country].get(target.question) is not None]
    count = int(target.share * len(answering) + Fraction(1, 2))
    locked = [country for country in answering if target.question in given[country]]
    old_locked = sum(1 for country in locked if _at_most(given[country][target.question], target.at_most))
    free = [country for country in answering if country not in locked]
    needed = min(max(count - old_locked, 0), len(free))
    rng = _rng(seed, "calibration", target.question)
    # the less mature countries keep the older strategies: pick the "recent" ones by maturity plus noise
    recent = _pick(free, len(free) - needed, levels, rng)
    low, high, _, _ = _bounds(question)
    first = max(int(low) if low is not None else _YEARS[0], 2015)
    last = min(int(high) if high is not None else _YEARS[1], _YEARS[1])
    for country in free:
        draw = _rng(seed, country, target.question, "calibrated").integers
        if country in recent:
            answers[country][target.question] = int(draw(target.at_most + 1, last + 1))
        else:
            answers[country][target.question] = int(draw(first, target.at_most + 1))
    return {
        "question": target.question,
        "at_most": target.at_most,
        "target": count,
        "count": old_locked + needed,
        "total": len(answering),
        "finding": target.finding,
    }


def _at_most(value: Answer, bound: int) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value <= bound
