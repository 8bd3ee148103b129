"""Reports rendered from a release: the regional report and country profiles (HTML and PDF), charts and exports.
Core: never imports govlens.web or govlens.cli.

``render`` (regional report and country profiles, HTML and PDF), ``exports`` (CSV, XLSX, SDMX-CSV, data package),
``charts`` (SVG) and ``i18n`` (the words of the pages in en/es/pt/fr). Releases themselves live in
:mod:`govlens.release`. See docs/reports.md.
"""
