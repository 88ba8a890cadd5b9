"""Everything a person touches: the command line, the Textual assistant, reports and workshop tools."""
