"""The analysis layer's problem codes (narrative rules files), registered in the one catalogue of
:mod:`govlens.framework.errors`. A rule names itself as ``where`` ("rule 3 (e-services)") in every message."""

from __future__ import annotations

from govlens.framework.errors import ErrorType, register
from govlens.framework.report import Severity

# Regional answers also report the answer checks' codes (unknown_choice, invalid_integer, ...).
ANALYSIS_ERRORS: tuple[ErrorType, ...] = register(
    "analysis",
    (
        # -- the rules file ---------------------------------------------------------------------------------------
        ErrorType("rules_yaml", "Rules file does not parse", "not valid YAML: {reason}"),
        ErrorType(
            "rules_not_a_mapping",
            "Rules file is not a mapping",
            "a rules file is a mapping with 'govlens_rules', 'framework' and 'rules'",
        ),
        ErrorType("rules_format", "Unknown rules format", "govlens_rules must be {expected}; got {value!r}"),
        ErrorType(
            "rules_framework", "Rules of another framework", "the rules are for framework {value!r}; got {framework!r}"
        ),
        ErrorType("rules_missing", "No rules", "'rules' must be a non-empty list"),
        # -- one rule ---------------------------------------------------------------------------------------------
        ErrorType("rule_not_a_mapping", "Rule is not a mapping", "{where} must be a mapping"),
        ErrorType("rule_id", "Invalid rule id", "{where}: id must be lower-case letters, digits and '-'"),
        ErrorType("rule_duplicate", "Rule id twice", "{where}: the id is used twice"),
        ErrorType("rule_unknown_field", "Unknown rule field", "{where}: unknown field '{field}'; allowed: {allowed}"),
        ErrorType("rule_unknown_finding", "Unknown finding", "{where}: finding {finding!r} is not one of F01..F43"),
        ErrorType("rule_subject", "Rule without one subject", "{where}: {reason}"),
        ErrorType(
            "rule_unknown_indicator",
            "Unknown indicator",
            "{where}: indicator '{indicator}' is not in framework {framework}",
        ),
        ErrorType(
            "rule_unknown_question", "Unknown question", "{where}: question '{name}' is not in framework {framework}"
        ),
        ErrorType("rule_not_a_number", "Bound is not a number", "{where}: {reason}"),
        ErrorType(
            "rule_question_types",
            "Questions of mixed types",
            "{where}: the questions must all be select or all be number questions",
        ),
        ErrorType(
            "rule_unknown_option",
            "Unknown option",
            "{where}: question '{name}' has no option {options}; allowed: {allowed}",
        ),
        ErrorType("rule_bounds", "Bounds that do not fit the subject", "{where}: {reason}"),
        ErrorType("rule_options", "Options that do not fit the subject", "{where}: {reason}"),
        ErrorType("rule_combine", "Unknown combination", "{where}: combine must be one of {allowed}; got {value!r}"),
        ErrorType("rule_threshold", "Threshold out of range", "{where}: {name} is a share from 0 to 1; got {value}"),
        ErrorType("rule_regional", "Incomplete regional recommendation", "{where}: {reason}"),
        ErrorType("rule_statement", "Rule without statement", "{where}: a statement is required"),
        ErrorType(
            "rule_recommendation",
            "Threshold without recommendation",
            "{where}: recommend_below/above needs a recommendation text",
        ),
        ErrorType(
            "rule_language",
            "Text missing in a language",
            "{where}: {label} has no text in {languages}",
            Severity.WARNING,
        ),
        ErrorType("rule_placeholder", "Invalid placeholder", "{where}: {label} ({language}) {reason}"),
    ),
)
