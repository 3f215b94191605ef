"""Domain exceptions. Raised in `marine/`; only `marine/ui/` turns them into messages."""


class MarineError(Exception):
    """Base class: every message names the offending value and the remedy."""


class LayerError(MarineError):
    """A layer could not be found, built or loaded."""


class GeometryError(MarineError, ValueError):
    """A geometry was rejected (empty, out of range, swapped, too large...)."""


class ProposalError(MarineError, ValueError):
    """A proposal's attributes or text failed validation."""


class AccessDenied(MarineError):
    """The user may not perform the named action."""


class ConflictError(MarineError):
    """A save was based on a version that is no longer the latest."""


class PasswordRejected(MarineError, ValueError):
    """A new password was refused; `reason` ('too-short', 'common', 'like-name') and `fields`
    let the UI say why in the reader's language."""

    def __init__(self, message: str, reason: str, **fields: object):
        super().__init__(message)
        self.reason = reason
        self.fields = fields
