"""API versions resources (SOL013 9.3): one per API and major version.

GET /vnflcm/api_versions, /vnflcm/v2/api_versions (VNF LCM) and
GET /vnfpkgm/api_versions, /vnfpkgm/v1/api_versions (VNF package
management).
"""
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.api import wsgi


class ApiVersionsController:
    def __init__(self, prefix, answer_prefix):
        self.prefix = prefix
        self.answer_prefix = answer_prefix

    def show(self, request):
        body = versions.api_versions_body(self.prefix)
        body['uriPrefix'] = self.answer_prefix
        return wsgi.SolResponse(200, body)


# (path, API whose versions are listed, uriPrefix in the answer)
RESOURCES = (
    ('/vnflcm/api_versions', '/vnflcm/v2', '/vnflcm'),
    ('/vnflcm/v2/api_versions', '/vnflcm/v2', '/vnflcm/v2'),
    ('/vnfpkgm/api_versions', '/vnfpkgm/v1', '/vnfpkgm'),
    ('/vnfpkgm/v1/api_versions', '/vnfpkgm/v1', '/vnfpkgm/v1'),
)


def add_routes(router):
    # Each answers without requiring a Version header (SOL013 9.3.2): a
    # client asks them precisely to learn which versions exist.
    for path, api, answer_prefix in RESOURCES:
        ctl = ApiVersionsController(api, answer_prefix)
        router.add(path, 'GET', wsgi.Resource(
            ctl, 'show', versions.ApiVersionPolicy(api, required=False),
            'api_versions:show'))
