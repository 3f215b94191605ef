"""What a new password must be: at least `MIN_PASSWORD_LENGTH` characters, not one of the
commonly used passwords, not the account's own name.

The common passwords are the ranked list that the maintained `zxcvbn` package ships (PyPI
`zxcvbn`, MIT; `zxcvbn.frequency_lists.FREQUENCY_LISTS["passwords"]`: the 30,000 most frequent
passwords of Mark Burnett's 10-million-password corpus, as published with Dropbox's zxcvbn).
It is read from the installed package, never copied; only its entries that are long enough to
pass the length rule matter (1,090 of them in zxcvbn 4.5.0, e.g. "1234567890", "qwertyuiop").
This follows NIST SP 800-63B §5.1.1.2: a minimum length and a blocklist of commonly used
passwords, no composition rules.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from marine.errors import PasswordRejected

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1_000  # argon2 hashes anything, but a megabyte password is an attack


def random_password() -> str:
    """16 URL-safe characters (96 bits), shown once to whoever creates the account."""
    return secrets.token_urlsafe(12)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The commonly used passwords long enough to pass the length rule (lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_PASSWORD_LENGTH)


def check_new_password(password: object, *, names: tuple[str, ...] = ()) -> str:
    """`password` when it may be used, else PasswordRejected saying why.

    `names`: the account's username and display name, which a password may not be."""
    length = len(password) if isinstance(password, str) else 0
    if length < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(
            f"the password has {length} characters; use at least {MIN_PASSWORD_LENGTH} "
            "(or leave it out to get a random one)", "too-short",
            length=length, minimum=MIN_PASSWORD_LENGTH)
    if length > MAX_PASSWORD_LENGTH:
        raise PasswordRejected(
            f"the password has {length} characters; use at most {MAX_PASSWORD_LENGTH}",
            "too-long", length=length, maximum=MAX_PASSWORD_LENGTH)
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) == 1:
        raise PasswordRejected(
            "the password is one of the most commonly used passwords; choose another "
            "(a few unrelated words make a good one)", "common")
    if any(name and folded == name.strip().casefold() for name in names):
        raise PasswordRejected("the password is the account's own name; choose another",
                               "like-name")
    return password
