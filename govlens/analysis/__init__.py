"""Regional statistics, benchmarks, trends, findings and recommendations with the countries behind each figure.
Core: never imports govlens.web or govlens.cli.

``quantifiers`` (the word for a share), ``regional`` (counts, shares and score summaries by group, with the
countries behind each figure), ``synthetic`` (SYNTHETIC, calibrated demo answers for lac-dgr), ``narrative``
(findings and recommendations from ``rules/<framework>.yaml``, country profiles). See docs/analysis.md.
"""
