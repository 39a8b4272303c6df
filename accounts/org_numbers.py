"""
Swedish organisation numbers (organisationsnummer): ten digits, written NNNNNN-NNNN, the last of them
a check digit. The OCDS export names the centre and the municipalities by them (scheme SE-BLV).

Reading a number as people write it:

1. Spaces (also non-breaking ones) and hyphens (also the dash a word processor makes of one) are
   dropped: "212000-2080", "2120002080" and "212000 2080" are the same number. Nothing written is
   blank: no number (allowed, for the rows from before the field).
2. Twelve digits beginning with 16 (the "century" that some registers put before an organisation's
   number) lose the 16.
3. What is left must be ten digits, else it is refused as not a number.
4. The tenth digit must be the Luhn check digit of the first nine (as in a personal identity number:
   from the left, every other digit doubled, the digits of the products added), else it is refused as
   mistyped.

The number is then written NNNNNN-NNNN. The check catches a mistyped digit and most swapped pairs; it
does not say that the number is registered.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEPARATORS = str.maketrans("", "", " \u00a0\u202f-\u2010\u2011\u2012\u2013\u2014\u2212")
CENTURY = "16"

NOT_A_NUMBER = _("Write the organisation number as ten digits, NNNNNN-NNNN (for example 212000-2080).")
WRONG_CHECK_DIGIT = _(
    "%(number)s is not an organisation number: its last digit does not match the others. Check it "
    "against the registration."
)


class OrgNumberError(ValueError):
    """Why a text is not an organisation number, in the user's language (message), with a code."""

    def __init__(self, message, code: str, params: dict | None = None):
        super().__init__(message % params if params else message)
        self.message, self.code, self.params = message, code, params or {}


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit of `digits`: from the left, every other digit doubled (the first too), the
    digits of the products and the others added; the check digit takes the sum up to a multiple of 10."""
    total = 0
    for index, digit in enumerate(int(character) for character in digits):
        product = digit * 2 if index % 2 == 0 else digit
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def normalise_org_number(text: str) -> str:
    """The number in `text` as NNNNNN-NNNN, "" for a blank text; OrgNumberError for anything else."""
    digits = (text or "").strip().translate(SEPARATORS)
    if not digits:
        return ""
    if len(digits) == 12 and digits.startswith(CENTURY):
        digits = digits[len(CENTURY) :]
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise OrgNumberError(NOT_A_NUMBER, "org_number_format")
    number = f"{digits[:6]}-{digits[6:]}"
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise OrgNumberError(WRONG_CHECK_DIGIT, "org_number_check_digit", {"number": number})
    return number


def validate_org_number(value: str) -> None:
    """The model field's validator: a ValidationError with the rule's message, beside the field."""
    try:
        normalise_org_number(value)
    except OrgNumberError as error:
        raise ValidationError(error.message, code=error.code, params=error.params) from None
