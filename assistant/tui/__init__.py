"""The interactive assistant (Textual). Imported only when the TUI opens; headless commands never load it."""
