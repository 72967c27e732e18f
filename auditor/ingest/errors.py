"""Errors for input we cannot use. Each message names what was wrong, in one line."""


class IngestError(Exception):
    """The source could not be read into a Document (bad URL, refused address,
    too large, not text, undecodable, broken file)."""
