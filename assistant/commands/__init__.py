"""Subcommands added to the ``ceder`` CLI through ``assistant.cli.EXTRA_COMMANDS``."""
