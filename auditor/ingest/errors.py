"""Errors for input we cannot use. Each message names what was wrong, in one line."""


class IngestError(Exception):
    """The source could not be read into a Document (bad URL, refused address,
    too large, not text, undecodable, broken file). ``status`` is the HTTP status
    when the server answered with an error, so callers can tell 404 from 503."""

    def __init__(self, message: str, status: int | None = None):
        # One line whatever a file name or a parser message holds.
        super().__init__(message.replace("\r", "\\r").replace("\n", "\\n"))
        self.status = status
