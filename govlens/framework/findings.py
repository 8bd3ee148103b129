"""The findings of the seed review (F01..F43), each with a short topic in GovLens's own words.

Questions and indicators cite these IDs in ``seed_refs``; the validator rejects unknown IDs and the
traceability page lists, per finding, what measures it. The full text is in ``shared/seed/findings.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

FINDINGS: Mapping[str, str] = {
    "F01": "Lead digital government organisation and its powers",
    "F02": "Co-ordination bodies of chief digital officers",
    "F03": "Decision-making role of co-ordination bodies",
    "F04": "National strategies, their currency and regional instruments",
    "F05": "Priorities set by national and regional strategies",
    "F06": "Broader digital agendas and uneven development",
    "F07": "Legal coverage of digital government topics",
    "F08": "Aligning digital, budget and procurement authorities",
    "F09": "Planning tools for value and risk",
    "F10": "Value proposition beyond traditional cost-benefit",
    "F11": "Approval process and digital standards",
    "F12": "Strategic and innovative procurement of digital goods",
    "F13": "Monitoring portfolios of digital investments",
    "F14": "User experience data in digital investments",
    "F15": "Culture of experimentation and flexible work",
    "F16": "Identifying the digital skills government needs",
    "F17": "Attracting, developing and retaining digital talent",
    "F18": "Data integration and interoperability across government",
    "F19": "Legal foundations for data governance",
    "F20": "Co-ordination among data policy actors",
    "F21": "Data roles and responsibilities across institutions",
    "F22": "Data governance capacity for artificial intelligence",
    "F23": "Dedicated data leadership positions",
    "F24": "National data strategies for the public sector",
    "F25": "Regional data integration and cross-border exchange",
    "F26": "Open data governance and political continuity",
    "F27": "Open data implementation, impact and re-use",
    "F28": "Personal data protection and citizen tools",
    "F29": "Proactive approach to data security",
    "F30": "Momentum of the public services agenda",
    "F31": "Multi-channel versus omni-channel service delivery",
    "F32": "Designing services around user needs",
    "F33": "Service performance and user satisfaction data",
    "F34": "Common standards and toolkits for service teams",
    "F35": "Capacities to design and run digital services",
    "F36": "Building blocks of digital public infrastructure",
    "F37": "How innovative the public service is",
    "F38": "Innovation in digital government strategies",
    "F39": "Commitment to the public sector innovation declaration",
    "F40": "Innovation skills of public servants",
    "F41": "Use of artificial intelligence and emerging technologies",
    "F42": "Partnering with start-ups and the private sector",
    "F43": "National GovTech policies and ecosystems",
}


def is_finding(ref: str) -> bool:
    return ref in FINDINGS


def topic(ref: str) -> str:
    """The topic of a finding ('' for an unknown ID)."""
    return FINDINGS.get(ref, "")
