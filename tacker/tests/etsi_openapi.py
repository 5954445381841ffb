"""Check our API's answers against the official ETSI NFV OpenAPI files.

The YAML files are not part of the project: they are looked for in the
directory named by ``ETSI_OPENAPI_DIR``, else in ``../shared/etsi`` beside
the checkout.  When they are absent, every check raises
``unittest.SkipTest`` saying where it looked.

Usage::

    etsi_openapi.check_response('POST', '/vnflcm/v2/vnf_instances',
                                201, resp.headers, resp.json())
    etsi_openapi.check_request('POST', path, request_body)
    etsi_openapi.check_notification(notification_body)

Each raises AssertionError listing every violation found.

The files have known errors (see the README beside them); the group
specification wins, so the loader repairs these in memory:

* VnfLcmOpOcc: changedInfo and modificationsTriggeredByVnfPkgChange are
  each optional, never both; ``_links`` is mandatory.
* IpOverEthernetAddressInfo / IpOverEthernetAddressData: the choice of
  address kind applies to each entry of ``ipAddresses``.
* VnfInstanceSubscriptionFilter / PkgmNotificationsFilter: every
  attribute optional, alternatives exclusive.
* GET /vnf_lcm_op_occs and GET /subscriptions answer an array.
* Error answers are ``application/problem+json`` with a ProblemDetails
  body, and any common error code of SOL013 may answer any operation.

We serve VNF package management as ``/vnfpkgm/v1`` while the files
document ``/vnfpkgm/v2`` with the same paths: v1 is checked against them,
except that ``_links.vnfd`` may be absent (a package not yet ONBOARDED
has no VNFD).
"""
import json
import os
import pathlib
import re
import threading
import unittest
from urllib import parse
from urllib import request as urlrequest

import jsonschema
from jsonschema import exceptions as schema_exc
import referencing
import referencing.jsonschema
import yaml

ENV_VAR = 'ETSI_OPENAPI_DIR'

# SOL013 clause 6.4: the common error codes any operation may answer.
COMMON_ERROR_CODES = frozenset(
    (400, 401, 403, 404, 405, 406, 409, 413, 415, 416, 422, 429, 500, 503,
     504))

_SOL003 = 'SOL002-SOL003/src/SOL003/'
_SOL005 = 'SOL005/src/SOL005/'
LCM = _SOL003 + 'VNFLifecycleManagement/VNFLifecycleManagement.yaml'
LCM_VERSIONS = _SOL003 + 'APIVersion/APIVersion.yaml'
LCM_NOTIFICATION = (_SOL003 + 'VNFLifecycleManagementNotification/'
                    'VNFLifecycleManagementNotification.yaml')
PKGM = _SOL005 + 'VNFPackageManagement/VNFPackageManagement.yaml'
PKGM_VERSIONS = _SOL005 + 'APIVersion/APIVersion.yaml'
PKGM_NOTIFICATION = (_SOL005 + 'VNFPackageManagementNotification/'
                     'VNFPackageManagementNotification.yaml')

_LCM_DEF = (_SOL003 + 'VNFLifecycleManagement/definitions/'
            'SOL003VNFLifecycleManagement_def.yaml')
_SOL003_DEF = _SOL003 + 'General_Definitions/SOL003_def.yaml'
_PKGM_DEF = (_SOL005 + 'VNFPackageManagement/definitions/'
             'SOL005VNFPackageManagement_def.yaml')
_SOL005_DEF = _SOL005 + 'definitions/SOL005_def.yaml'

ENTRY_FILES = (LCM, LCM_VERSIONS, LCM_NOTIFICATION, PKGM, PKGM_VERSIONS,
               PKGM_NOTIFICATION)

# Request path prefix -> (API file, the prefix its path templates omit,
# where its ProblemDetails type is defined).  The version APIs hold full
# paths such as /vnflcm/api_versions.
_ROUTES = (
    ('/vnflcm/v2', LCM, _SOL003_DEF),
    ('/vnfpkgm/v1', PKGM, _SOL005_DEF),
    ('/vnfpkgm/v2', PKGM, _SOL005_DEF),
    ('/vnflcm/api_versions', LCM_VERSIONS, _SOL003_DEF),
    ('/vnfpkgm/api_versions', PKGM_VERSIONS, _SOL005_DEF),
)
_NOTIFICATION_APIS = (LCM_NOTIFICATION, PKGM_NOTIFICATION)

_METHODS = ('get', 'put', 'post', 'delete', 'patch', 'head', 'options')
# Path parameters that may span several segments.
_MULTI_SEGMENT_PARAMS = frozenset(['artifactPath'])
_MAX_MESSAGE = 300


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))


def etsi_dir():
    """The directory the ETSI files are looked for in."""
    return os.environ.get(ENV_VAR) or os.path.normpath(
        os.path.join(repo_root(), '..', 'shared', 'etsi'))


_specs = {}
_specs_lock = threading.Lock()


def get_spec(directory=None):
    """The loaded, repaired ETSI API set (cached per directory)."""
    directory = os.path.realpath(directory or etsi_dir())
    with _specs_lock:
        spec = _specs.get(directory)
        if spec is None:
            missing = [f for f in ENTRY_FILES
                       if not os.path.isfile(os.path.join(directory, f))]
            if missing:
                raise unittest.SkipTest(
                    'ETSI OpenAPI files not found in %s (looked for %s; '
                    'set %s to their directory)'
                    % (directory, ', '.join(missing), ENV_VAR))
            spec = EtsiSpec(directory)
            _specs[directory] = spec
        return spec


def check_response(method, path, status, headers, body):
    """Assert that one answer of our API conforms to the ETSI API."""
    get_spec().check_response(method, path, status, headers, body)


def check_request(method, path, body):
    """Assert that a request body conforms to the operation's schema."""
    get_spec().check_request(method, path, body)


def check_notification(body):
    """Assert that a notification body conforms to its type's schema."""
    get_spec().check_notification(body)


class Operation(object):
    """One operation of an ETSI API, found for a concrete request path."""

    def __init__(self, api, template, method, definition, problem_uri):
        self.api = api
        self.template = template
        self.method = method
        self.definition = definition  # None: the path has no such method
        self.problem_uri = problem_uri

    def __str__(self):
        return '%s %s in %s' % (self.method, self.template,
                                os.path.basename(self.api))


def _violations_error(what, problems):
    return AssertionError(
        'ETSI conformance of %s:\n  - %s' % (what, '\n  - '.join(problems)))


def _short(text):
    text = str(text)
    if len(text) > _MAX_MESSAGE:
        return text[:_MAX_MESSAGE] + '...'
    return text


def _error_text(error):
    """A jsonschema message without a long dump of the instance."""
    message = error.message
    excluded = error.validator_value if error.validator == 'not' else None
    if isinstance(excluded, dict) and set(excluded) == {'required'}:
        return 'has all of %s, which exclude each other' % ', '.join(
            excluded['required'])
    shown = repr(error.instance)
    if len(shown) > 60 and message.startswith(shown):
        message = '<%s %s...>%s' % (type(error.instance).__name__,
                                    shown[:40], message[len(shown):])
    return _short(message)


def _media_type(value):
    if not value:
        return None
    return value.split(';', 1)[0].strip().lower()


def _is_json_media(media):
    return media == 'application/json' or (
        media is not None and media.endswith('+json'))


def _lower_headers(headers):
    if headers is None:
        return {}
    items = headers.items() if hasattr(headers, 'items') else headers
    return {str(k).lower(): v for k, v in items}


def _is_empty(body):
    return body is None or body == b'' or body == ''


class EtsiSpec(object):
    """The ETSI API documents we check against, with $refs made absolute.

    Every ``$ref`` of every loaded file is rewritten to an absolute
    ``file://`` URI, so that jsonschema can follow references from any
    document without tracking base URIs, and so can we.
    """

    def __init__(self, directory):
        self.directory = directory
        self.docs = {}  # file URI -> parsed YAML
        for name in ENTRY_FILES:
            self._load(self.uri_of(name))
        _repair(self)
        self.registry = referencing.Registry().with_resources(
            (uri, referencing.jsonschema.DRAFT7.create_resource(doc))
            for uri, doc in self.docs.items())
        self._templates = {}
        self._validators = {}

    # ---- loading ---------------------------------------------------------

    def uri_of(self, relative):
        return pathlib.Path(self.directory, relative).as_uri()

    def _load(self, uri):
        pending = [uri]
        loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
        while pending:
            uri = pending.pop()
            if uri in self.docs:
                continue
            path = urlrequest.url2pathname(parse.urlsplit(uri).path)
            with open(path, encoding='utf-8') as f:
                doc = yaml.load(f, Loader=loader)
            self.docs[uri] = doc
            for target in self._absolutize(doc, uri):
                if target not in self.docs:
                    pending.append(target)

    def _absolutize(self, node, base):
        """Make every $ref below node absolute; yield referenced files."""
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                ref = item.get('$ref')
                if isinstance(ref, str):
                    absolute = parse.urljoin(base, ref)
                    item['$ref'] = absolute
                    yield parse.urldefrag(absolute).url
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)

    def follow(self, uri):
        """The node an absolute reference points at."""
        url, fragment = parse.urldefrag(uri)
        node = self.docs[url]
        for token in fragment.lstrip('/').split('/') if fragment else ():
            token = parse.unquote(token).replace('~1', '/').replace('~0',
                                                                    '~')
            if isinstance(node, list):
                node = node[int(token)]
            elif token not in node and token.isdigit():
                node = node[int(token)]  # YAML reads 200: as a number
            else:
                node = node[token]
        return node

    def deref(self, node):
        seen = set()
        while isinstance(node, dict) and '$ref' in node:
            ref = node['$ref']
            if ref in seen:
                raise ValueError('reference loop at %s' % ref)
            seen.add(ref)
            node = self.follow(ref)
        return node

    def definition(self, relative, name):
        return self.docs[self.uri_of(relative)]['definitions'][name]

    def api(self, relative):
        return self.docs[self.uri_of(relative)]

    # ---- finding operations ----------------------------------------------

    def _path_patterns(self, api):
        patterns = self._templates.get(api)
        if patterns is None:
            patterns = []
            for template in self.api(api).get('paths', {}):
                regex = ''
                for part in re.split(r'(\{[^}]+\})', template):
                    if part.startswith('{') and part.endswith('}'):
                        name = part[1:-1]
                        regex += ('.+' if name in _MULTI_SEGMENT_PARAMS
                                  else '[^/]+')
                    else:
                        regex += re.escape(part)
                literal = len(re.sub(r'\{[^}]+\}', '', template))
                patterns.append((literal, template, re.compile(regex + '$')))
            # The most literal template wins, e.g. .../package_content/
            # upload_from_uri over .../artifacts/{artifactPath}.
            patterns.sort(key=lambda p: -p[0])
            self._templates[api] = patterns
        return patterns

    def find_operation(self, method, path):
        """The operation for a concrete path, or None if no API has it.

        An Operation whose definition is None means the path exists but
        not with this method.
        """
        path = parse.urlsplit(path).path.rstrip('/') or '/'
        method = method.lower()
        for prefix, api, problem_def in _ROUTES:
            if path != prefix and not path.startswith(prefix + '/'):
                continue
            rest = path if api in (LCM_VERSIONS, PKGM_VERSIONS) else (
                path[len(prefix):] or '/')
            problem_uri = self.uri_of(problem_def) + (
                '#/definitions/ProblemDetails')
            for _literal, template, regex in self._path_patterns(api):
                if regex.match(rest):
                    item = self.deref(self.api(api)['paths'][template])
                    definition = item.get(method) if (
                        method in _METHODS) else None
                    return Operation(api, template, method.upper(),
                                     definition, problem_uri)
            return Operation(api, None, method.upper(), None, problem_uri)
        return None

    def _operation_or_fail(self, method, path):
        operation = self.find_operation(method, path)
        if operation is None:
            raise AssertionError(
                'ETSI conformance: %s %s is not under any API we serve'
                % (method, path))
        return operation

    # ---- validation ------------------------------------------------------

    def validator(self, schema):
        key = schema.get('$ref') if set(schema) == {'$ref'} else None
        validator = self._validators.get(key) if key else None
        if validator is None:
            validator = jsonschema.Draft7Validator(
                schema, registry=self.registry,
                format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
            if key:
                self._validators[key] = validator
        return validator

    def schema_problems(self, schema, instance, where='body'):
        problems = []
        errors = sorted(self.validator(schema).iter_errors(instance),
                        key=lambda e: list(e.absolute_path))
        for error in errors:
            location = '/'.join(str(p) for p in error.absolute_path)
            message = _error_text(error)
            if error.context:
                best = schema_exc.best_match(error.context)
                where_best = '/'.join(
                    str(p) for p in best.relative_path)
                message = '%s; closest: %s%s' % (
                    message, where_best + ': ' if where_best else '',
                    _error_text(best))
            problems.append('%s%s: %s' % (
                where, '/' + location if location else '', _short(message)))
        return problems

    def _parsed(self, body, problems):
        if isinstance(body, (bytes, str)):
            try:
                return json.loads(body)
            except ValueError as exc:
                problems.append('body is not JSON: %s' % exc)
                return None
        return body

    def check_response(self, method, path, status, headers, body):
        operation = self._operation_or_fail(method, path)
        status = int(status)
        headers = _lower_headers(headers)
        problems = []
        declared = None
        if operation.definition is not None:
            responses = {str(code): answer for code, answer in
                         operation.definition.get('responses', {}).items()}
            declared = responses.get(str(status))
            if declared is not None:
                declared = self.deref(declared)
            elif status not in COMMON_ERROR_CODES:
                problems.append(
                    'status %d is neither declared for %s (declared: %s) '
                    'nor a common error code' % (
                        status, operation, ', '.join(sorted(responses))))
        elif status not in (404, 405):
            problems.append(
                'status %d for a path or method the API does not have '
                '(only 404 or 405 fit)' % status)
        media = _media_type(headers.get('content-type'))
        if status >= 400:
            self._check_error(operation, media, body, problems)
        elif declared is not None:
            self._check_success(declared, media, body, problems)
        self._check_headers(status, declared, headers, problems)
        if problems:
            raise _violations_error('%s %s -> %d (%s)' % (
                method.upper(), path, status, operation), problems)

    def _check_error(self, operation, media, body, problems):
        if media != 'application/problem+json':
            problems.append('Content-Type of an error answer is %s, not '
                            'application/problem+json' % media)
        if _is_empty(body):
            problems.append('an error answer has no ProblemDetails body')
            return
        body = self._parsed(body, problems)
        if body is not None:
            problems.extend(self.schema_problems(
                {'$ref': operation.problem_uri}, body))

    def _check_success(self, declared, media, body, problems):
        if 'content' not in declared:
            if not _is_empty(body):
                problems.append('a body where the API declares none')
            return
        content = declared['content'] or {}
        if not content:
            # "content: {}" declares a file of any type (a VNFD, a
            # package, an artifact), e.g. text/plain or application/zip.
            return
        if _is_empty(body):
            problems.append('no body where the API declares %s'
                            % ', '.join(content))
            return
        allowed = [m.lower() for m in content]
        if media is None:
            problems.append('no Content-Type header (expected one of %s)'
                            % ', '.join(allowed))
            return
        if media not in allowed and '*/*' not in allowed and not any(
                m.endswith('/*') and media.startswith(m[:-1])
                for m in allowed):
            problems.append('Content-Type %s is not one of %s'
                            % (media, ', '.join(allowed)))
            return
        if not _is_json_media(media):
            return
        schema = (content.get(media) or content.get('application/json')
                  or {}).get('schema')
        body = self._parsed(body, problems)
        if schema is not None and body is not None:
            problems.extend(self.schema_problems(schema, body))

    def _check_headers(self, status, declared, headers, problems):
        spec_headers = (declared or {}).get('headers') or {}
        required = set()
        for name, header in spec_headers.items():
            header = self.deref(header)
            key = name.lower()
            schema = header.get('schema') or {}
            if key == 'content-type':
                continue  # checked with the body
            if key == 'www-authenticate':
                if status == 401:
                    required.add(name)
            elif key in ('version', 'location') or header.get(
                    'required') or schema.get('minimum', 0) >= 1:
                # The ETSI files note cardinality as minimum/maximum;
                # Location of a 201, 202 or 303 and Version are "shall".
                required.add(name)
        if declared is None:
            # A common error code the operation does not list.
            required.add('Version')
            if status == 401:
                required.add('WWW-Authenticate')
        for name in sorted(required):
            if not headers.get(name.lower()):
                problems.append('header %s is missing' % name)

    def check_request(self, method, path, body):
        operation = self._operation_or_fail(method, path)
        what = '%s %s request (%s)' % (method.upper(), path, operation)
        if operation.definition is None:
            raise _violations_error(what, ['the API has no such operation'])
        problems = []
        request_body = operation.definition.get('requestBody')
        if request_body is None:
            if not _is_empty(body):
                problems.append('a body where the API declares none')
        else:
            request_body = self.deref(request_body)
            if _is_empty(body):
                if request_body.get('required'):
                    problems.append('no body where the API requires one')
            else:
                body = self._parsed(body, problems)
                schema = (request_body.get('content') or {}).get(
                    'application/json', {}).get('schema')
                if schema is not None and body is not None:
                    problems.extend(self.schema_problems(schema, body))
        if problems:
            raise _violations_error(what, problems)

    def notification_schema(self, notification_type):
        for api in _NOTIFICATION_APIS:
            bodies = self.api(api).get('components', {}).get(
                'requestBodies', {})
            for request_body in bodies.values():
                schema = self.deref(request_body).get('content', {}).get(
                    'application/json', {}).get('schema', {})
                ref = schema.get('$ref', '')
                if ref.rsplit('/', 1)[-1] == notification_type:
                    return schema
        return None

    def check_notification(self, body):
        problems = []
        body = self._parsed(body, problems)
        kind = body.get('notificationType') if isinstance(
            body, dict) else None
        schema = self.notification_schema(kind) if kind else None
        if schema is None and not problems:
            problems.append('notificationType %r is not one the ETSI '
                            'notification APIs define' % (kind,))
        elif schema is not None:
            problems.extend(self.schema_problems(schema, body))
        if problems:
            raise _violations_error('notification %s' % (kind,), problems)


# ---- repairs of the known errors (README beside the files) ---------------

def _exclusive(*names):
    """Schema: at most one of the named attributes is present."""
    return [{'not': {'required': [a, b]}}
            for i, a in enumerate(names) for b in names[i + 1:]]


def _repair(spec):
    op_occ = spec.definition(_LCM_DEF, 'VnfLcmOpOcc')
    op_occ.pop('oneOf', None)
    op_occ['not'] = {'required': ['changedInfo',
                                  'modificationsTriggeredByVnfPkgChange']}
    if '_links' not in op_occ['required']:
        op_occ['required'].append('_links')

    info = spec.definition(_LCM_DEF, 'IpOverEthernetAddressInfo')
    info.pop('oneOf', None)
    spec.deref(info['properties']['ipAddresses'])['items']['oneOf'] = [
        {'required': ['addresses']}, {'required': ['addressRange']}]

    data = spec.definition(_SOL003_DEF, 'IpOverEthernetAddressData')
    data.pop('oneOf', None)
    spec.deref(data['properties']['ipAddresses'])['items']['oneOf'] = [
        {'required': ['fixedAddresses']},
        {'required': ['numDynamicAddresses']},
        {'required': ['addressRange']}]

    lcm_filter = spec.definition(_SOL003_DEF, 'VnfInstanceSubscriptionFilter')
    lcm_filter.pop('anyOf', None)
    lcm_filter['allOf'] = (
        _exclusive('vnfdIds', 'vnfProductsFromProviders')
        + _exclusive('vnfInstanceIds', 'vnfInstanceNames'))

    pkg_filter = spec.definition(_PKGM_DEF, 'PkgmNotificationsFilter')
    pkg_filter.pop('oneOf', None)
    pkg_filter['allOf'] = _exclusive('vnfProductsFromProviders', 'vnfdId',
                                     'vnfPkgId')

    for api, template in ((LCM, '/vnf_lcm_op_occs'),
                          (LCM, '/subscriptions'),
                          (PKGM, '/vnf_packages'),
                          (PKGM, '/subscriptions')):
        _make_list_answer(spec, api, template)

    links = spec.definition(_PKGM_DEF, 'VnfPkgInfo')['properties']['_links']
    links['required'] = [r for r in links['required'] if r != 'vnfd']


def _make_list_answer(spec, api, template):
    item = spec.deref(spec.api(api)['paths'][template])
    responses = item['get']['responses']
    answer = spec.deref(responses.get(200) or responses['200'])
    media = answer['content']['application/json']
    if spec.deref(media['schema']).get('type') != 'array':
        media['schema'] = {'type': 'array', 'items': media['schema']}
