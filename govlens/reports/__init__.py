"""reports layer of GovLens (core: never imports govlens.web or govlens.cli).

``release`` (frozen inputs, settings and results of a cycle, with a content hash; recomputed bit for bit),
``exports`` (CSV, XLSX, SDMX-CSV, data package), ``render`` (regional report and country profiles, HTML and PDF),
``charts`` (SVG) and ``i18n`` (the words of the pages in en/es/pt/fr). See docs/reports.md.
"""
