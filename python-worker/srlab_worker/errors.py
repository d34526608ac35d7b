"""Typed errors: every failure the app shows carries a code, a message and a hint."""


class WorkerError(Exception):
    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint}


class Cancelled(WorkerError):
    def __init__(self, message: str = "cancelled"):
        super().__init__("cancelled", message, "resume from the last checkpoint")
