"""Screens: the conversation, the summary, and small keyboard-driven dialogs."""
