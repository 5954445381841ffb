"""/vnflcm/v2/subscriptions (SOL003 5.4.18, 5.4.19)."""


def add_routes(router):
    pass
