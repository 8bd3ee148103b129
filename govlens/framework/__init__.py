"""The questionnaire, its scoring and the indicator tree (model, XLSForm and YAML readers and writers, validation
report, expression evaluator, bundled frameworks). It imports only the tabular reader below it.

Core: never imports govlens.web or govlens.cli.
"""
