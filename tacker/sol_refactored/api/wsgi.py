"""The WSGI application: routing, content negotiation and ProblemDetails.

A controller method receives ``(request, **path_params)`` and returns a
``SolResponse``. Everything it raises becomes an ``application/problem+json``
answer; nothing escapes as a bare 500 page.
"""
import json

from oslo_log import log as logging
import routes
import webob
import webob.dec
import webob.exc

from tacker.sol_refactored.api import bounded_input
from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.api import policy
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex

LOG = logging.getLogger(__name__)
CONF = config.CONF

JSON = 'application/json'
PROBLEM_JSON = 'application/problem+json'


class SolResponse:
    def __init__(self, status, body=None, headers=None, content_type=JSON,
                 raw=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type
        self.raw = raw

    def to_webob(self, version=None):
        resp = webob.Response(status=self.status)
        if self.raw is not None:
            resp.content_type = self.content_type
            if hasattr(self.raw, 'read'):
                resp.body_file = self.raw
            else:
                resp.body = self.raw
        elif self.body is not None:
            resp.content_type = self.content_type
            resp.charset = None
            resp.body = json.dumps(self.body).encode('utf-8')
        else:
            resp.content_type = None
        for key, value in self.headers.items():
            resp.headers[key] = value
        if version:
            resp.headers['Version'] = version
        return resp


def problem_response(exc, version=None):
    body = exc.problem_details()
    resp = SolResponse(exc.status, body, content_type=PROBLEM_JSON)
    if exc.status == 401:
        resp.headers['WWW-Authenticate'] = 'Keystone uri="%s"' % (
            CONF.keystone_authtoken.www_authenticate_uri or ''
            if hasattr(CONF, 'keystone_authtoken') else '')
    if exc.status == 405 and getattr(exc, 'allowed', None):
        resp.headers['Allow'] = ', '.join(exc.allowed)
    return resp.to_webob(version)


class Request(webob.Request):
    """A webob request that knows its JSON body and its base URL."""

    @property
    def context(self):
        return self.environ['tacker.context']

    def base_url(self):
        return (CONF.public_endpoint or self.host_url).rstrip('/')

    def json_body(self, media_type=JSON):
        """The body, parsed and checked (see bounded_input)."""
        if not self.body:
            raise sol_ex.BadRequest('The request needs a JSON body.')
        ctype = (self.content_type or '').lower()
        if ctype != media_type:
            raise sol_ex.UnsupportedMediaType(
                content_type=bounded_input.echo(self.content_type or
                                                '(none)'),
                want=media_type)
        try:
            body = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as e:
            raise sol_ex.InvalidJson(error=bounded_input.echo(e))
        except RecursionError:
            raise sol_ex.BadRequest(
                'The request body is nested deeper than %d levels.' %
                CONF.max_json_depth)
        bounded_input.check_structure(body)
        return body

    def check_accept(self, offers):
        accept = self.headers.get('Accept')
        if not accept:
            return
        if not self.accept.acceptable_offers(offers):
            raise sol_ex.NotAcceptable(
                'The Accept header %r does not allow any of: %s.' % (
                    accept, ', '.join(offers)))


class Resource:
    """Calls one controller action with the API's rules around it."""

    def __init__(self, controller, action, version_policy, policy_name,
                 offers=(JSON,), owner=None):
        # owner(context, **path_params): the project of the resource the
        # route acts on, raising its NotFound when the caller may not see
        # it; the policy rule is then checked against that project.
        self.controller = controller
        self.action = action
        self.version_policy = version_policy
        self.policy_name = policy_name
        self.offers = list(offers) + [PROBLEM_JSON]
        self.owner = owner

    def _authorize(self, request, params):
        context = request.context
        # First as if the resource were the caller's: a caller without
        # the role gets 403 whether or not the id exists.
        policy.authorize(context, self.policy_name)
        if self.owner is not None:
            # Another project's resource is a 404 (see project_scope);
            # a visible one is checked against the project owning it.
            policy.authorize(context, self.policy_name,
                             self.owner(context, **params))

    def __call__(self, request, **params):
        version = None
        try:
            if self.version_policy is not None:
                # A refused Version is answered in the version we serve.
                version = self.version_policy.current
                version = self.version_policy.negotiate(
                    request.headers.get('Version'))
            request.check_accept(self.offers)
            if self.policy_name:
                self._authorize(request, params)
            method = getattr(self.controller, self.action)
            result = method(request, **params)
            return result.to_webob(version)
        except sol_ex.SolException as e:
            if e.status >= 500:
                LOG.error('%s %s failed: %s', request.method, request.path,
                          e.detail)
            return problem_response(e, version)
        except Exception:
            LOG.exception('%s %s failed unexpectedly', request.method,
                          request.path)
            return problem_response(sol_ex.SolException(
                'The server failed while handling the request; the '
                'server log has the details (request id %s).' %
                request.environ.get('openstack.request_id')), version)


class Router:
    """Routes paths to Resources; answers 404 and 405 as ProblemDetails."""

    def __init__(self):
        self.mapper = routes.Mapper()
        self._paths = {}

    def add(self, path, method, resource):
        self.mapper.connect(path, conditions={'method': [method]},
                            resource=resource)
        self._paths.setdefault(path, []).append(method)

    def path_methods(self, path):
        mapper = routes.Mapper()
        for template in self._paths:
            mapper.connect(template, template=template)
        match = mapper.match(path)
        return self._paths[match['template']] if match else None

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, request):
        match = self.mapper.match(environ=request.environ)
        if match is None:
            allowed = self.path_methods(request.path_info)
            if allowed:
                exc = sol_ex.MethodNotAllowed(method=request.method,
                                              path=request.path_info)
                exc.allowed = allowed
            else:
                exc = sol_ex.NotFound('No resource at %s.' %
                                      request.path_info)
            return problem_response(
                exc, versions.current_for_path(request.path_info))
        match = dict(match)
        resource = match.pop('resource')
        return resource(request, **match)


class ContextMiddleware:
    """Builds the request context; refuses unauthenticated requests."""

    def __init__(self, app, auth_strategy):
        self.app = app
        self.auth_strategy = auth_strategy

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, request):
        if self.auth_strategy == 'keystone':
            status = request.environ.get('HTTP_X_IDENTITY_STATUS')
            if status != 'Confirmed':
                return problem_response(sol_ex.Unauthorized(
                    'A valid Keystone token is required in the '
                    'X-Auth-Token header.'),
                    versions.current_for_path(request.path_info))
        request.environ['tacker.context'] = sol_context.from_environ(
            request.environ, self.auth_strategy)
        return request.get_response(self.app)
