"""Where the shipped banks come from, said plainly: the honesty rule's wording.

A module of its own, importing nothing, because ``ceder --help`` and every headless
command print it and must not pay for the rest of the conversation's wording.
"""

from __future__ import annotations

HONESTY_FOR_USERS = (
    "The shipped question banks are derived from public frameworks (College of Policing APP, NPCC AI "
    "Covenant, ALGO-CARE, the DPA 2018 and UK GDPR, Bridges, the Data Ethics Framework, ICO toolkits, "
    "Canada's AIA) and written for England and Wales; they are not official NPCC CEDER wording."
)
"""What the person assessing is told about the shipped banks."""
HONESTY = HONESTY_FOR_USERS + " Load your organisation's own bank with --bank DIR."
"""The same for whoever sets ceder up (``--help``, ``ceder questions``)."""
