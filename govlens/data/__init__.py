"""Public datasets: the registry, downloads, the mirror and the home store, harmonisation (ISO3, country groups)
and comparisons of LAC with the OECD.

Core: never imports govlens.web or govlens.cli.
"""
