"""A number in a message, written as the message's language writes it."""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import format_decimal

from kb.taxonomy import LOCALES


class Amount(str):
    """A number in a message (a file's size in MB or KB), written as the language of the
    message writes it: 5.3 and 1,234 in English, 5,3 and 1 234 in French. A str: its English."""

    value: float
    digits: int

    def __new__(cls, value: float, digits: int = 1) -> Amount:
        amount = super().__new__(cls, _written(value, digits, LOCALES["en"]))
        amount.value, amount.digits = value, digits
        return amount

    def __reduce__(self):
        return Amount, (self.value, self.digits)

    def localized(self, gettext: Callable[[str], str]) -> str:
        """In the language of gettext's catalog, as its "Language" header gives it (a catalog
        without one, as English has, is English)."""
        catalog = getattr(gettext, "__self__", None)
        if not hasattr(catalog, "info"):
            # A plain function would say nothing of its language: the number would stay English.
            raise TypeError("an Amount is localized with a catalog's own gettext method")
        return _written(self.value, self.digits, catalog.info().get("language") or LOCALES["en"])


def _written(value: float, digits: int, locale: str) -> str:
    return format_decimal(
        value, format="#,##0" + ("." + "0" * digits if digits else ""), locale=locale
    )
