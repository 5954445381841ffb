"""GET /vnflcm/api_versions and GET /vnflcm/v2/api_versions (SOL013 9)."""
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


def add_routes(router):
    # Both answer without requiring a Version header (SOL013 9.3.2): a
    # client asks them precisely to learn which versions exist.
    for path, answer_prefix in (('/vnflcm/api_versions', '/vnflcm'),
                                ('/vnflcm/v2/api_versions', '/vnflcm/v2')):
        ctl = ApiVersionsController('/vnflcm/v2', answer_prefix)
        router.add(path, 'GET', wsgi.Resource(
            ctl, 'show', versions.ApiVersionPolicy('/vnflcm/v2',
                                                   required=False),
            'api_versions:show'))
