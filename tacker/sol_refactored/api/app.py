"""Builds the WSGI pipeline of tacker-server."""
from keystonemiddleware import auth_token
from oslo_middleware import request_id

from tacker.sol_refactored.api import bounded_input
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.controller import api_versions
from tacker.sol_refactored.controller import lcm_op_occs
from tacker.sol_refactored.controller import subscriptions
from tacker.sol_refactored.controller import vnf_instances
from tacker.sol_refactored.controller import vnf_packages

CONF = config.CONF

# Each module adds its routes: add_routes(router).
ROUTE_MODULES = (api_versions, vnf_instances, lcm_op_occs, subscriptions,
                 vnf_packages)


def build_router():
    plugins.load_all()
    router = wsgi.Router()
    for module in ROUTE_MODULES:
        module.add_routes(router)
    return router


def build_app():
    app = build_router()
    app = wsgi.ContextMiddleware(app, CONF.auth_strategy)
    if CONF.auth_strategy == 'keystone':
        # delay_auth_decision: our ContextMiddleware answers the 401 as a
        # ProblemDetails instead of keystonemiddleware's own body.
        app = auth_token.AuthProtocol(app, {
            'oslo_config_project': 'tacker',
            'oslo_config_config': CONF,
            'delay_auth_decision': True})
    app = bounded_input.BodyLimitMiddleware(
        app, wsgi.problem_response, versions.current_for_path)
    app = request_id.RequestId(app)
    return app
