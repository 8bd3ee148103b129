"""The composite index engine: checks, impute, treat, normalise, weight, aggregate, audit, uncertainty and
sensitivity (numpy/pandas/scipy only).

Core: never imports govlens.web or govlens.cli.
"""
