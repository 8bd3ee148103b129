"""Background jobs of the platform: a release of a cycle's approved answers, computed with uncertainty analysis
and published as the regional report and country profiles, run by worker processes sharing a database queue."""
