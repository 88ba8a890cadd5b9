"""Widgets of the chat screen and the summary screen."""
