"""The words of the report templates in English, Spanish, Portuguese and French, and number formatting.

Generated sentences (findings, recommendations, strengths) come from ``govlens.analysis``; this table holds only
the fixed words of the pages: titles, table headers, captions and notes.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Mapping
from functools import cache

from govlens.framework.model import LANGUAGES

__all__ = ["STRINGS", "check_language", "country_name", "format_number", "translate"]

STRINGS: Mapping[str, Mapping[str, str]] = {
    "report_title": {
        "en": "Assessment and recommendations",
        "es": "Evaluación y recomendaciones",
        "pt": "Avaliação e recomendações",
        "fr": "Évaluation et recommandations",
    },
    "profile_title": {
        "en": "Country profile",
        "es": "Perfil de país",
        "pt": "Perfil do país",
        "fr": "Profil de pays",
    },
    "release": {"en": "Release", "es": "Publicación", "pt": "Publicação", "fr": "Publication"},
    "cycle": {"en": "Cycle", "es": "Ciclo", "pt": "Ciclo", "fr": "Cycle"},
    "created": {"en": "Created", "es": "Fecha", "pt": "Data", "fr": "Date"},
    "content_hash": {
        "en": "Content hash (SHA-256)",
        "es": "Huella del contenido (SHA-256)",
        "pt": "Impressão digital do conteúdo (SHA-256)",
        "fr": "Empreinte du contenu (SHA-256)",
    },
    "framework": {"en": "Framework", "es": "Marco", "pt": "Marco de referência", "fr": "Cadre"},
    "country": {"en": "Country", "es": "País", "pt": "País", "fr": "Pays"},
    "countries": {"en": "Countries", "es": "Países", "pt": "Países", "fr": "Pays"},
    "score": {"en": "Score", "es": "Puntuación", "pt": "Pontuação", "fr": "Score"},
    "rank": {"en": "Rank", "es": "Posición", "pt": "Posição", "fr": "Rang"},
    "rank_interval": {
        "en": "Rank interval (5th–95th percentile)",
        "es": "Intervalo de posición (percentiles 5 a 95)",
        "pt": "Intervalo de posição (percentis 5 a 95)",
        "fr": "Intervalle de rang (5e au 95e centile)",
    },
    "contents": {"en": "Contents", "es": "Contenido", "pt": "Conteúdo", "fr": "Sommaire"},
    "key_figures": {"en": "Key figures", "es": "Cifras clave", "pt": "Números-chave", "fr": "Chiffres clés"},
    "countries_covered": {
        "en": "countries covered",
        "es": "países cubiertos",
        "pt": "países abrangidos",
        "fr": "pays couverts",
    },
    "average_index": {
        "en": "average index score",
        "es": "puntuación media del índice",
        "pt": "pontuação média do índice",
        "fr": "score moyen de l'indice",
    },
    "highest_index": {
        "en": "highest index score",
        "es": "puntuación más alta del índice",
        "pt": "pontuação mais alta do índice",
        "fr": "score le plus élevé de l'indice",
    },
    "index_section": {
        "en": "The index: scores and ranks",
        "es": "El índice: puntuaciones y posiciones",
        "pt": "O índice: pontuações e posições",
        "fr": "L'indice : scores et rangs",
    },
    "index_intro": {
        "en": "Each bar is a country's index score. The right-hand panel shows its rank (dot) and, when the release "
        "has an uncertainty analysis, the range of ranks it takes in 90% of the simulations (line).",
        "es": "Cada barra es la puntuación de un país en el índice. El panel de la derecha muestra su posición (punto) "
        "y, si la publicación incluye un análisis de incertidumbre, el rango de posiciones que ocupa en el 90% de "
        "las simulaciones (línea).",
        "pt": "Cada barra é a pontuação de um país no índice. O painel à direita mostra a sua posição (ponto) e, "
        "quando a publicação inclui uma análise de incerteza, o intervalo de posições que ocupa em 90% das "
        "simulações (linha).",
        "fr": "Chaque barre est le score d'un pays sur l'indice. Le panneau de droite montre son rang (point) et, "
        "lorsque la publication comporte une analyse d'incertitude, l'éventail des rangs qu'il occupe dans 90 % "
        "des simulations (trait).",
    },
    "pillar_section": {
        "en": "Pillars: where each country stands",
        "es": "Pilares: la situación de cada país",
        "pt": "Pilares: a situação de cada país",
        "fr": "Piliers : la situation de chaque pays",
    },
    "heatmap_intro": {
        "en": "Pillar scores by country; darker cells are higher scores.",
        "es": "Puntuaciones por pilar y país; las celdas más oscuras indican puntuaciones más altas.",
        "pt": "Pontuações por pilar e país; as células mais escuras indicam pontuações mais altas.",
        "fr": "Scores par pilier et par pays ; les cellules les plus foncées indiquent les scores les plus élevés.",
    },
    "pillar": {"en": "Pillar", "es": "Pilar", "pt": "Pilar", "fr": "Pilier"},
    "benchmark_section": {
        "en": "Latin America and the Caribbean and the OECD in public data",
        "es": "América Latina y el Caribe y la OCDE en los datos públicos",
        "pt": "América Latina e Caribe e a OCDE nos dados públicos",
        "fr": "L'Amérique latine et les Caraïbes et l'OCDE dans les données publiques",
    },
    "benchmark_intro": {
        "en": "Published indicators, frozen with this release. Each mean is over the countries of the group with a "
        "value (n); the gap is the LAC mean minus the OECD mean; the frontier is the best LAC country.",
        "es": "Indicadores publicados, congelados con esta publicación. Cada promedio abarca los países del grupo "
        "con un valor (n); la brecha es el promedio de ALC menos el de la OCDE; la frontera es el mejor país de ALC.",
        "pt": "Indicadores publicados, congelados com esta publicação. Cada média abrange os países do grupo com um "
        "valor (n); a diferença é a média da ALC menos a da OCDE; a fronteira é o melhor país da ALC.",
        "fr": "Indicateurs publiés, figés avec cette publication. Chaque moyenne porte sur les pays du groupe qui ont "
        "une valeur (n) ; l'écart est la moyenne ALC moins celle de l'OCDE ; la frontière est le meilleur pays ALC.",
    },
    "indicator": {"en": "Indicator", "es": "Indicador", "pt": "Indicador", "fr": "Indicateur"},
    "lac_mean": {"en": "LAC mean (n)", "es": "Promedio ALC (n)", "pt": "Média ALC (n)", "fr": "Moyenne ALC (n)"},
    "oecd_mean": {"en": "OECD mean (n)", "es": "Promedio OCDE (n)", "pt": "Média OCDE (n)", "fr": "Moyenne OCDE (n)"},
    "gap": {"en": "Gap", "es": "Brecha", "pt": "Diferença", "fr": "Écart"},
    "frontier": {"en": "LAC frontier", "es": "Frontera ALC", "pt": "Fronteira ALC", "fr": "Frontière ALC"},
    "source": {"en": "Source", "es": "Fuente", "pt": "Fonte", "fr": "Source"},
    "benchmark_in_both": {
        "en": "Counted in both means (LAC countries that were OECD members in that year)",
        "es": "Incluidos en ambos promedios (países de ALC que eran miembros de la OCDE ese año)",
        "pt": "Incluídos nas duas médias (países da ALC que eram membros da OCDE naquele ano)",
        "fr": "Comptés dans les deux moyennes (pays ALC membres de l'OCDE cette année-là)",
    },
    "findings_section": {
        "en": "Findings and recommendations",
        "es": "Hallazgos y recomendaciones",
        "pt": "Constatações e recomendações",
        "fr": "Constats et recommandations",
    },
    "findings_intro": {
        "en": "Each finding counts countries from the answers of this release; the countries behind every figure "
        "are listed under it.",
        "es": "Cada hallazgo cuenta países a partir de las respuestas de esta publicación; debajo de cada cifra se "
        "indican los países que la componen.",
        "pt": "Cada constatação conta países a partir das respostas desta publicação; os países por trás de cada "
        "número são indicados abaixo dele.",
        "fr": "Chaque constat dénombre des pays à partir des réponses de cette publication ; les pays derrière "
        "chaque chiffre sont indiqués en dessous.",
    },
    "no_rules": {
        "en": "No finding rules are available for this framework, so this section is empty.",
        "es": "No hay reglas de hallazgos para este marco, por lo que esta sección está vacía.",
        "pt": "Não há regras de constatações para este marco, por isso esta secção está vazia.",
        "fr": "Aucune règle de constat n'existe pour ce cadre : cette section est donc vide.",
    },
    "finding": {"en": "Finding", "es": "Hallazgo", "pt": "Constatação", "fr": "Constat"},
    "recommendation": {"en": "Recommendation", "es": "Recomendación", "pt": "Recomendação", "fr": "Recommandation"},
    "evidence": {"en": "Evidence", "es": "Evidencia", "pt": "Evidência", "fr": "Éléments"},
    "method_section": {
        "en": "Method and provenance",
        "es": "Método y procedencia",
        "pt": "Método e proveniência",
        "fr": "Méthode et provenance",
    },
    "method_intro": {
        "en": "Every figure in this document is computed from the answers frozen in the release named on each page, "
        "with the settings below. Recomputing the release from its inputs gives the same numbers bit for bit.",
        "es": "Todas las cifras de este documento se calculan a partir de las respuestas congeladas en la "
        "publicación indicada en cada página, con los parámetros siguientes. Recalcular la publicación a partir de "
        "sus insumos da exactamente los mismos números.",
        "pt": "Todos os números deste documento são calculados a partir das respostas congeladas na publicação "
        "indicada em cada página, com os parâmetros abaixo. Recalcular a publicação a partir dos seus insumos dá "
        "exatamente os mesmos números.",
        "fr": "Tous les chiffres de ce document sont calculés à partir des réponses figées dans la publication "
        "indiquée sur chaque page, avec les paramètres ci-dessous. Recalculer la publication à partir de ses "
        "données d'entrée redonne exactement les mêmes nombres.",
    },
    "settings": {
        "en": "Engine settings",
        "es": "Parámetros del motor",
        "pt": "Parâmetros do motor",
        "fr": "Paramètres du moteur",
    },
    "uncertainty": {
        "en": "Uncertainty analysis",
        "es": "Análisis de incertidumbre",
        "pt": "Análise de incerteza",
        "fr": "Analyse d'incertitude",
    },
    "uncertainty_run": {
        "en": "{replications} Monte Carlo replications (seed {seed}); uncertain inputs: {inputs}",
        "es": "{replications} réplicas de Monte Carlo (semilla {seed}); insumos inciertos: {inputs}",
        "pt": "{replications} réplicas de Monte Carlo (semente {seed}); insumos incertos: {inputs}",
        "fr": "{replications} réplications de Monte-Carlo (graine {seed}) ; entrées incertaines : {inputs}",
    },
    "uncertainty_none": {
        "en": "not run for this release",
        "es": "no realizado para esta publicación",
        "pt": "não realizada para esta publicação",
        "fr": "non réalisée pour cette publication",
    },
    "synthetic": {
        "en": "SYNTHETIC DEMO DATA: these are not the answers of any country.",
        "es": "DATOS SINTÉTICOS DE DEMOSTRACIÓN: no son las respuestas de ningún país.",
        "pt": "DADOS SINTÉTICOS DE DEMONSTRAÇÃO: não são as respostas de nenhum país.",
        "fr": "DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION : ce ne sont les réponses d'aucun pays.",
    },
    "data_status": {"en": "Answers", "es": "Respuestas", "pt": "Respostas", "fr": "Réponses"},
    "status_synthetic": {
        "en": "synthetic (demo)",
        "es": "sintéticas (demostración)",
        "pt": "sintéticas (demonstração)",
        "fr": "synthétiques (démonstration)",
    },
    "status_real": {
        "en": "approved answers of the cycle",
        "es": "respuestas aprobadas del ciclo",
        "pt": "respostas aprovadas do ciclo",
        "fr": "réponses approuvées du cycle",
    },
    "lac_average": {"en": "LAC average", "es": "Promedio de ALC", "pt": "Média da ALC", "fr": "Moyenne ALC"},
    "oecd_average": {
        "en": "OECD members in this release (average of {n})",
        "es": "Miembros de la OCDE en esta publicación (promedio de {n})",
        "pt": "Membros da OCDE nesta publicação (média de {n})",
        "fr": "Membres de l'OCDE dans cette publication (moyenne de {n})",
    },
    "gap_to_average": {
        "en": "Gap to the LAC average",
        "es": "Brecha con el promedio de ALC",
        "pt": "Diferença face à média da ALC",
        "fr": "Écart à la moyenne ALC",
    },
    "profile_index": {
        "en": "Index score {score}: rank {rank} of {n}",
        "es": "Puntuación en el índice {score}: posición {rank} de {n}",
        "pt": "Pontuação no índice {score}: posição {rank} de {n}",
        "fr": "Score sur l'indice {score} : rang {rank} sur {n}",
    },
    "profile_interval": {
        "en": "In 90% of the simulations of the uncertainty analysis its rank lies between {low} and {high}.",
        "es": "En el 90% de las simulaciones del análisis de incertidumbre, su posición está entre {low} y {high}.",
        "pt": "Em 90% das simulações da análise de incerteza, a sua posição fica entre {low} e {high}.",
        "fr": "Dans 90 % des simulations de l'analyse d'incertitude, son rang est compris entre {low} et {high}.",
    },
    "radar_section": {
        "en": "Pillars against the regional average",
        "es": "Pilares frente al promedio regional",
        "pt": "Pilares face à média regional",
        "fr": "Piliers par rapport à la moyenne régionale",
    },
    "strengths": {"en": "Strengths", "es": "Fortalezas", "pt": "Pontos fortes", "fr": "Points forts"},
    "weaknesses": {"en": "Weaknesses", "es": "Debilidades", "pt": "Pontos fracos", "fr": "Points faibles"},
    "none_found": {
        "en": "None stands out from the group at this release.",
        "es": "Ninguno se distingue del grupo en esta publicación.",
        "pt": "Nenhum se destaca do grupo nesta publicação.",
        "fr": "Aucun ne se distingue du groupe dans cette publication.",
    },
    "recommendations": {
        "en": "Recommendations with the largest expected gain",
        "es": "Recomendaciones con la mayor ganancia esperada",
        "pt": "Recomendações com o maior ganho esperado",
        "fr": "Recommandations au gain attendu le plus élevé",
    },
    "chart_note": {
        "en": "The data of this chart are in the table that follows it.",
        "es": "Los datos de este gráfico están en la tabla que le sigue.",
        "pt": "Os dados deste gráfico estão na tabela que se lhe segue.",
        "fr": "Les données de ce graphique figurent dans le tableau qui le suit.",
    },
    "bar_chart_title": {
        "en": "Index score and rank of each country",
        "es": "Puntuación y posición de cada país en el índice",
        "pt": "Pontuação e posição de cada país no índice",
        "fr": "Score et rang de chaque pays sur l'indice",
    },
    "heatmap_title": {
        "en": "Pillar scores by country",
        "es": "Puntuaciones por pilar y país",
        "pt": "Pontuações por pilar e país",
        "fr": "Scores par pilier et par pays",
    },
    "radar_title": {
        "en": "Pillar scores of {country} against group averages",
        "es": "Puntuaciones por pilar de {country} frente a los promedios de grupo",
        "pt": "Pontuações por pilar de {country} face às médias de grupo",
        "fr": "Scores par pilier de {country} par rapport aux moyennes de groupe",
    },
    "generated": {
        "en": "Generated by GovLens from release {release}.",
        "es": "Generado por GovLens a partir de la publicación {release}.",
        "pt": "Gerado pelo GovLens a partir da publicação {release}.",
        "fr": "Généré par GovLens à partir de la publication {release}.",
    },
    "page": {"en": "Page", "es": "Página", "pt": "Página", "fr": "Page"},
    "missing": {"en": "no data", "es": "sin datos", "pt": "sem dados", "fr": "pas de données"},
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {{{', '.join(LANGUAGES)}}}; got {language!r}")
    return language


def translate(key: str, language: str, **values: object) -> str:
    """The template string ``key`` in ``language`` (English when missing), with ``values`` filled in."""
    texts = STRINGS[key]
    text = texts.get(language) or texts["en"]
    return text.format(**values) if values else text


def format_number(value: float | None, decimals: int, language: str) -> str:
    """A number with ``decimals`` places and the language's decimal mark (a comma except in English)."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # no "-0.00"
    return text if language == "en" else text.replace(".", ",")


@cache
def _translation(language: str) -> gettext.NullTranslations:
    try:
        import pycountry

        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except (ImportError, OSError):
        return gettext.NullTranslations()


def country_name(iso3: str, language: str = "en") -> str:
    """The country's common name in the language (pycountry's ISO 3166 translations), else the code itself."""
    try:
        import pycountry

        country = pycountry.countries.get(alpha_3=iso3)
    except (ImportError, LookupError, KeyError):
        country = None
    if country is None:
        return iso3
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return str(english)
    translated = _translation(language).gettext(english)
    if translated == english and english != country.name:
        translated = _translation(language).gettext(country.name)
    return str(translated)
