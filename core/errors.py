"""The one error type for business-rule violations, carrying a message the user can act on."""

from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A request breaks a rule of the process; nothing was changed.

    A ValidationError so that forms can show it next to the field it concerns (``field``) or at the
    top of the form.
    """

    def __init__(self, message, *, field: str | None = None, code: str | None = None, params=None):
        super().__init__(message, code=code, params=params)
        self.field = field
