import datetime


def utcnow():
    """Now in UTC, to the second (SOL013 DateTime has no fractions)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(
        microsecond=0)
