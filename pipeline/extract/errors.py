"""Errors a reader raises for bad input: each names the file and the reason."""
from __future__ import annotations


class ExtractError(Exception):
    """The file could not be read as a document; `reason` is a short code, `detail` prose."""

    def __init__(self, path: str, reason: str, detail: str) -> None:
        self.path = str(path)
        self.reason = reason
        self.detail = detail
        super().__init__(f"{self.path}: {reason}: {detail}")

    def to_dict(self) -> dict:
        return {"file": self.path, "reason": self.reason, "message": self.detail}

    def __reduce__(self):
        # pickled whole (path, reason, detail): the error crosses from a worker process
        return (type(self), (self.path, self.reason, self.detail))
