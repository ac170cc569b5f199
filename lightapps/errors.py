"""The one error type the domain raises; every face turns it into its own shape."""


class DomainError(Exception):
    """A refused request with a translated message, a machine code and optional field errors."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields=None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}

    def as_sentence(self) -> str:
        """The message and the fields' reasons in one line (a page's flash message)."""
        reasons = [str(m) for ms in self.fields.values() for m in ms if str(m) != self.message]
        return f"{self.message}：{'；'.join(reasons)}" if reasons else self.message


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
