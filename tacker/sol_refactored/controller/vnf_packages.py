"""/vnfpkgm/v1/vnf_packages (SOL005 9.4), as python-tackerclient calls it."""


def add_routes(router):
    pass
