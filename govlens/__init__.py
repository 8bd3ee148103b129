"""GovLens: a reproducible pipeline for digital government reviews."""

__version__ = "0.1.0"
