"""The one exception every front end turns into a one-line message (exit status 1).

A module of its own, importing nothing of ceder, so that low-level helpers (``assistant.paths``)
can raise it without importing ``assistant.shared`` and through it the reports (an import cycle).
"""


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""
