"""Reports rendered from a release: the regional report and country profiles (HTML and PDF), charts and exports.
Core: never imports govlens.web or govlens.cli.

``render`` (regional report and country profiles, HTML and PDF), ``exports`` (CSV, XLSX, SDMX-CSV, data package),
``charts`` (SVG), ``chapter`` (the report as an assessment chapter: key messages, themes, maturity groups),
``prose`` (country profiles in words) and ``words`` (the fixed words shared with the dashboard); every word comes
from the gettext catalogues of ``govlens.i18n``. Releases themselves live in :mod:`govlens.release`. See
docs/reports.md.
"""
