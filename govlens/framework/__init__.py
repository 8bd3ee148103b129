"""The questionnaire, its scoring and the indicator tree (model, XLSForm and YAML readers and writers, validation
report, expression evaluator, bundled frameworks). The lowest layer: it imports no other layer.

Core: never imports govlens.web or govlens.cli.
"""
