"""SOL013 API versions: which API serves which version, and the header."""
from tacker.sol_refactored.common import exceptions as sol_ex

VNFLCM_V2 = '2.0.0'
VNFPKGM_V1 = '2.1.0'

# uriPrefix -> supported versions, newest last.
SUPPORTED = {
    '/vnflcm/v2': [VNFLCM_V2],
    # 2.1.0 only adds optional attributes to 2.0.0: both are served.
    '/vnfpkgm/v1': ['2.0.0', VNFPKGM_V1],
}


class ApiVersionPolicy:
    """How one API treats the Version request header."""

    def __init__(self, prefix, required):
        self.prefix = prefix
        self.required = required
        self.supported = SUPPORTED[prefix]

    @property
    def current(self):
        return self.supported[-1]

    def negotiate(self, header):
        """The version to answer with, or a ProblemDetails error."""
        if header is None or not header.strip():
            if self.required:
                raise sol_ex.VersionMissing(example=self.current)
            return self.current
        wanted = header.strip()
        if wanted in self.supported:
            return wanted
        # SOL013 lets a client name only major.minor; match on that.
        parts = wanted.split('.')
        for version in reversed(self.supported):
            if version.split('.')[:len(parts)] == parts:
                return version
        raise sol_ex.VersionNotSupported(
            version=wanted, supported=', '.join(self.supported))


VNFLCM_V2_POLICY = ApiVersionPolicy('/vnflcm/v2', required=True)
VNFPKGM_V1_POLICY = ApiVersionPolicy('/vnfpkgm/v1', required=False)


def api_versions_body(prefix):
    return {
        'uriPrefix': prefix,
        'apiVersions': [{'version': v, 'isDeprecated': False}
                        for v in SUPPORTED[prefix]],
    }


def current_for_path(path):
    """The version an answer outside any route carries, by API prefix.

    The API versions resources of a whole API (``/vnflcm/api_versions``,
    ``/vnfpkgm/api_versions``) sit outside the versioned prefix; their
    answers (a 401, say) carry that API's version too.
    """
    for policy in (VNFLCM_V2_POLICY, VNFPKGM_V1_POLICY):
        top = policy.prefix.rsplit('/', 1)[0]
        if (path == policy.prefix or path.startswith(policy.prefix + '/') or
                path == top + '/api_versions'):
            return policy.current
    return None
