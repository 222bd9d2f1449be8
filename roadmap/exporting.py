"""What the CSV downloads share: text a spreadsheet opens as text."""


def spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
