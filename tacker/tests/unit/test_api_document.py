"""doc/source/api/tacker-v2.yaml against the server it documents.

The document is written by hand; these tests keep it honest:

- it is a valid OpenAPI 3.0 document;
- its paths and methods are exactly the router's;
- each request schema is the JSON schema the server validates with, and
  each resource schema has the fields of the object the server answers
  with;
- the application, driven in-process, answers every documented status of
  every operation (and nothing undocumented), with the documented headers
  and a body matching the documented schema; a method a path does not
  document is answered 405 with the documented ones in ``Allow``.
"""
import copy
import functools
import importlib
import io
import json
import pathlib
import re
from unittest import mock
import uuid
import zipfile

import fixtures
import openapi_schema_validator
from openapi_spec_validator import validate as validate_spec
from oslo_versionedobjects import fields as ovo_fields
import testtools
import webob
import yaml

from tacker.sol_refactored.api import app as sol_app
from tacker.sol_refactored.api import policy
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.objects import base as obj_base
from tacker.sol_refactored.objects import fields
from tacker.tests import api_base
from tacker.tests import pki
from tacker.tests import step_vim
from tacker.tests.unit.data import packages

DOCUMENT = (pathlib.Path(__file__).resolve().parents[3] / 'doc' / 'source' /
            'api' / 'tacker-v2.yaml')
HTTP_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
# Keys of a schema that explain and do not constrain.
DOC_ONLY_KEYS = ('description', 'example', 'examples', 'title')
V2 = {'Version': '2.0.0'}


@functools.lru_cache(maxsize=1)
def _load():
    with open(DOCUMENT) as f:
        return yaml.safe_load(f)


def document():
    return copy.deepcopy(_load())


def _follow(doc, ref):
    if not ref.startswith('#/'):
        raise AssertionError('only local references are used: %s' % ref)
    node = doc
    for part in ref[2:].split('/'):
        node = node[part]
    return node


def resolve(doc, node):
    """``node`` with every $ref replaced by what it points at."""
    if isinstance(node, dict):
        if '$ref' in node:
            return resolve(doc, _follow(doc, node['$ref']))
        return {k: resolve(doc, v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(doc, v) for v in node]
    return node


def constraints(schema):
    """A schema without its explanations, for comparison."""
    if isinstance(schema, dict):
        result = {}
        for key, value in schema.items():
            if key in DOC_ONLY_KEYS or key.startswith('x-'):
                continue
            if key == 'properties':
                result[key] = {name: constraints(sub)
                               for name, sub in value.items()}
            elif key == 'required':
                result[key] = sorted(value)
            else:
                result[key] = constraints(value)
        return result
    if isinstance(schema, list):
        return [constraints(v) for v in schema]
    return schema


def template_key(path):
    """A path template with its parameter names blanked out."""
    return re.sub(r'\{[^}]*\}', '{}', path)


def documented_operations(doc):
    """{(template key, METHOD): (path template, operation)}."""
    ops = {}
    for path, item in doc['paths'].items():
        for method, operation in item.items():
            if method.upper() in HTTP_METHODS:
                ops[(template_key(path), method.upper())] = (path, operation)
    return ops


def served_routes():
    router = sol_app.build_router()
    return {(template_key(path), method)
            for path, methods in router._paths.items()
            for method in methods}


def _import(dotted):
    module, _sep, name = dotted.rpartition('.')
    return getattr(importlib.import_module(module), name)


class TestDocumentMatchesCode(testtools.TestCase):

    def test_is_valid_openapi(self):
        validate_spec(document())

    def test_paths_and_methods_are_the_routers(self):
        documented = set(documented_operations(document()))
        served = served_routes()
        self.assertEqual(set(), served - documented,
                         'served but not documented')
        self.assertEqual(set(), documented - served,
                         'documented but not served')

    def test_request_schemas_are_the_validators(self):
        doc = document()
        checked = 0
        for name, schema in doc['components']['schemas'].items():
            dotted = schema.get('x-tacker-validator')
            if dotted is None:
                continue
            validator_schema = json.loads(json.dumps(_import(dotted)))
            self.assertEqual(constraints(validator_schema),
                             constraints(resolve(doc, schema)),
                             '%s differs from %s' % (name, dotted))
            checked += 1
        self.assertGreaterEqual(checked, 7)

    def test_json_request_bodies_name_their_validator(self):
        doc = document()
        for (key, method), (path, op) in documented_operations(doc).items():
            body = op.get('requestBody')
            if body is None:
                continue
            for media, content in body['content'].items():
                if 'json' not in media:
                    continue
                schema = _follow(doc, content['schema']['$ref'])
                self.assertIn('x-tacker-validator', schema,
                              '%s %s' % (method, path))

    def test_lcm_operations_use_their_plugins_schema(self):
        doc = document()
        ops = documented_operations(doc)
        plugins.load_all()
        for name, plugin in plugins.lcm_operations().items():
            key = template_key('/vnflcm/v2/vnf_instances/{}/' + name)
            _path, op = ops[(key, 'POST')]
            ref = op['requestBody']['content']['application/json'][
                'schema']['$ref']
            dotted = _follow(doc, ref)['x-tacker-validator']
            self.assertIs(plugin.request_schema, _import(dotted), name)

    def _kind_of_field(self, field):
        ftype = field._type
        if isinstance(ftype, ovo_fields.Enum):
            return ('enum', tuple(sorted(ftype._valid_values)))
        if isinstance(ftype, ovo_fields.List):
            element = ftype._element_type._type
            if isinstance(element, ovo_fields.Object):
                return ('array', element._obj_name)
            return ('array', 'string')
        if isinstance(ftype, ovo_fields.Object):
            return ('object', ftype._obj_name)
        if isinstance(ftype, ovo_fields.Boolean):
            return ('boolean',)
        if isinstance(ftype, ovo_fields.Integer):
            return ('integer',)
        if isinstance(ftype, ovo_fields.DateTime):
            return ('date-time',)
        if isinstance(ftype, ovo_fields.String):
            return ('string',)
        if isinstance(field, fields.KeyValuePairsField):
            return ('map',)
        return ('any',)

    def _kind_of_schema(self, doc, schema):
        if '$ref' in schema:
            name = schema['$ref'].rsplit('/', 1)[1]
            target = _follow(doc, schema['$ref'])
            return ('object', target.get('x-tacker-object', name))
        if 'enum' in schema:
            return ('enum', tuple(sorted(schema['enum'])))
        stype = schema.get('type')
        if stype == 'array':
            items = schema['items']
            if '$ref' in items:
                return ('array', _follow(doc, items['$ref']).get(
                    'x-tacker-object'))
            return ('array', items.get('type'))
        if stype == 'string' and schema.get('format') == 'date-time':
            return ('date-time',)
        if stype is None:
            return ('any',)
        return (stype,)

    def test_resources_have_the_fields_of_their_objects(self):
        doc = document()
        checked = 0
        for name, schema in doc['components']['schemas'].items():
            obj_name = schema.get('x-tacker-object')
            if obj_name is None:
                continue
            cls = obj_base.get_class(obj_name)
            hidden = getattr(cls, 'db_only_fields', ())
            shown = {k: f for k, f in cls.fields.items() if k not in hidden}
            props = dict(schema['properties'])
            links = props.pop('_links', None)
            # Persistent resources get _links from their to_api().
            self.assertEqual(hasattr(cls, 'to_api'), links is not None,
                             name)
            self.assertEqual(sorted(shown), sorted(props), name)
            required = set(schema.get('required', ())) - {'_links'}
            self.assertEqual(
                sorted(k for k, f in shown.items() if not f.nullable),
                sorted(required), name)
            for key, field in shown.items():
                want = self._kind_of_field(field)
                got = self._kind_of_schema(doc, props[key])
                if want == ('map',):
                    # A free JSON object, or one whose shape we document.
                    self.assertIn(got[0], ('object',), '%s.%s' % (name, key))
                else:
                    self.assertEqual(want, got, '%s.%s' % (name, key))
            checked += 1
        self.assertGreaterEqual(checked, 20)

    def test_every_operation_documents_the_common_errors(self):
        doc = document()
        for (key, method), (path, op) in documented_operations(doc).items():
            codes = set(op['responses'])
            where = '%s %s' % (method, path)
            for code in ('401', '403', '406', '500'):
                self.assertIn(code, codes, where)
            if path.startswith('/vnflcm/v2/') and 'api_versions' not in path:
                self.assertIn('400', codes, where + ': Version required')
            body = op.get('requestBody')
            if body and any('json' in m for m in body['content']):
                self.assertIn('400', codes, where)
                self.assertIn('415', codes, where)


class _Exchange:
    def __init__(self, resp):
        self.status = resp.status_int
        self.headers = resp.headers
        self.content_type = resp.content_type
        self.raw = resp.body
        self.json = (json.loads(resp.body)
                     if resp.body and 'json' in (resp.content_type or '')
                     else None)


class TestServedAnswersAreDocumented(api_base.ApiTestCase):
    """Every documented status is answered, and every answer documented."""

    def setUp(self):
        super().setUp()
        # The forced 500s log a traceback each; keep them for a failure.
        self.useFixture(fixtures.FakeLogger())
        self.conf.config(test_callback_uri=False, max_attempts=1,
                         timeout=0.2, group='notification')
        self.doc = document()
        self.ops = documented_operations(self.doc)
        self.seen = set()
        self.started = []

    # -- exchanges -----------------------------------------------------

    def _operation(self, method, path):
        for (key, op_method), (template, op) in self.ops.items():
            pattern = '^%s$' % re.sub(r'\\\{[^}]*\\\}', '[^/]+',
                                      re.escape(template))
            if op_method == method and re.match(pattern, path):
                return template, op
        self.fail('%s %s is not a documented operation' % (method, path))

    def exchange(self, method, path, app=None, headers=V2, body=None,
                 raw=None, content_type='application/json'):
        req = webob.Request.blank(path, method=method)
        for key, value in headers.items():
            req.headers[key] = value
        if body is not None:
            raw = json.dumps(body).encode()
        if raw is not None:
            req.body = raw
            req.content_type = content_type
        return _Exchange(req.get_response(app or self.app))

    def expect(self, status, method, path, **kwargs):
        """Call, check the status and that the document describes it."""
        answer = self.exchange(method, path, **kwargs)
        where = '%s %s' % (method, path)
        self.assertEqual(status, answer.status, '%s: %s' % (
            where, answer.json))
        template, op = self._operation(method, path.split('?')[0])
        response = op['responses'].get(str(status))
        self.assertIsNotNone(response, '%s answered %d, which the document '
                                       'does not list' % (where, status))
        response = resolve(self.doc, response)
        for name, header in (response.get('headers') or {}).items():
            if header.get('required'):
                self.assertIn(name, answer.headers, where)
        content = response.get('content')
        if not content:
            self.assertEqual(b'', answer.raw, where)
        else:
            media = answer.content_type
            self.assertIn(media, content, where)
            if answer.json is not None:
                schema = resolve(self.doc, content[media]['schema'])
                openapi_schema_validator.validate(
                    answer.json, schema,
                    cls=openapi_schema_validator.OAS30Validator,
                    format_checker=openapi_schema_validator.
                    oas30_format_checker)
        self.seen.add((template_key(template), method, status))
        if status == 202 and 'Location' in answer.headers:
            self.started.append(answer.headers['Location'].rsplit('/', 1)[1])
        return answer

    def wait_started(self):
        for occ_id in self.started:
            self.wait_state(occ_id, *fields.FINAL_STATES,
                            fields.LcmOperationStateField.FAILED_TEMP)
        self.started = []

    # -- the world the requests act on ---------------------------------

    def _failed_temp_occ(self, vnfd_id):
        inst = self.create_instance(vnfd_id)
        self.vim.fail('create_servers')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'FAILED_TEMP')
        return occ_id

    def _running_instance(self, vnfd_id):
        inst = self.create_instance(vnfd_id)
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'COMPLETED')
        return inst['id'], occ_id

    @staticmethod
    def _zip(members):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, 'w') as out:
            for name, text in members.items():
                out.writestr(name, text)
        return buf.getvalue()

    def _new_package(self):
        answer = self.exchange('POST', '/vnfpkgm/v1/vnf_packages', body={},
                               headers={})
        self.assertEqual(201, answer.status)
        return answer.json['id']

    # -- the test --------------------------------------------------------

    def test_every_documented_answer_is_served(self):
        self._lcm_answers()
        self._package_answers()
        self._subscription_answers()
        self._common_answers()
        self._method_not_allowed()
        documented = {(key, method, int(code))
                      for (key, method), (_p, op) in self.ops.items()
                      for code in op['responses']}
        self.assertEqual(set(), documented - self.seen,
                         'documented but never answered')

    def _lcm_answers(self):
        pkg = self.onboard()
        new_pkg = self.onboard()
        disabled = self.onboard(enable=False)
        vnfd = pkg['vnfdId']
        unknown = str(uuid.uuid4())
        inst = '/vnflcm/v2/vnf_instances'
        occs = '/vnflcm/v2/vnf_lcm_op_occs'

        for path in ('/vnflcm/api_versions', '/vnflcm/v2/api_versions',
                     '/vnfpkgm/api_versions', '/vnfpkgm/v1/api_versions'):
            self.expect(200, 'GET', path, headers={})

        fresh = self.expect(201, 'POST', inst, body={'vnfdId': vnfd}).json
        self.expect(400, 'POST', inst, body={'vnfInstanceName': 'x'})
        self.expect(404, 'POST', inst, body={'vnfdId': unknown})
        self.expect(415, 'POST', inst, raw=b'vnfdId',
                    content_type='text/plain')
        self.expect(422, 'POST', inst, body={'vnfdId': disabled['vnfdId']})
        self.expect(200, 'GET', inst)
        self.expect(400, 'GET', inst + '?limit=1')
        self.expect(200, 'GET', '%s/%s' % (inst, fresh['id']))
        self.expect(404, 'GET', '%s/%s' % (inst, unknown))

        running, done_occ = self._running_instance(vnfd)
        running2, _occ = self._running_instance(vnfd)
        ft_retry = self._failed_temp_occ(vnfd)
        ft_rollback = self._failed_temp_occ(vnfd)
        ft_fail = self._failed_temp_occ(vnfd)

        # instantiate
        path = '%s/%s/instantiate' % (inst, fresh['id'])
        self.expect(400, 'POST', path, body={})
        self.expect(404, 'POST', '%s/%s/instantiate' % (inst, unknown),
                    body=self.instantiate_body())
        self.expect(409, 'POST', '%s/%s/instantiate' % (inst, running),
                    body=self.instantiate_body())
        self.expect(415, 'POST', path, raw=b'{}', content_type='text/plain')
        self.expect(422, 'POST', path, body={'flavourId': 'simple'})
        self.expect(202, 'POST', path, body=self.instantiate_body())

        # change_vnfpkg
        path = '%s/%s/change_vnfpkg' % (inst, running)
        change = {'vnfdId': new_pkg['vnfdId'],
                  'additionalParams': {'upgrade_type': 'RollingUpdate'}}
        self.expect(400, 'POST', path, body={
            'vnfdId': new_pkg['vnfdId'],
            'additionalParams': {'upgrade_type': 'Canary'}})
        self.expect(404, 'POST', '%s/%s/change_vnfpkg' % (inst, unknown),
                    body=change)
        self.expect(409, 'POST', path, body=dict(change, vnfdId=vnfd))
        self.expect(415, 'POST', path, raw=b'{}', content_type='text/plain')
        self.expect(422, 'POST', path, body=dict(
            change, extensions={'a': 1}))
        self.expect(202, 'POST', path, body=change)
        self.wait_started()

        # terminate
        path = '%s/%s/terminate' % (inst, running2)
        self.expect(400, 'POST', path, body={})
        self.expect(404, 'POST', '%s/%s/terminate' % (inst, unknown),
                    body={'terminationType': 'FORCEFUL'})
        self.expect(415, 'POST', path, raw=b'{}', content_type='text/plain')
        plugins.unregister(plugins.INFRA_DRIVERS, step_vim.VIM_TYPE)
        try:
            self.expect(422, 'POST', path,
                        body={'terminationType': 'FORCEFUL'})
        finally:
            plugins.register(plugins.INFRA_DRIVERS, step_vim.VIM_TYPE,
                             self.vim)
        self.expect(202, 'POST', path, body={'terminationType': 'FORCEFUL'})
        self.wait_started()
        self.expect(409, 'POST', path, body={'terminationType': 'FORCEFUL'})

        # the occurrences and their tasks
        self.expect(200, 'GET', occs)
        self.expect(400, 'GET', occs + '?filter=(eq,operationState')
        self.expect(200, 'GET', '%s/%s' % (occs, done_occ))
        self.expect(404, 'GET', '%s/%s' % (occs, unknown))
        for task, occ_id, status in (('retry', ft_retry, 202),
                                     ('rollback', ft_rollback, 202),
                                     ('fail', ft_fail, 200)):
            self.expect(404, 'POST', '%s/%s/%s' % (occs, unknown, task))
            self.expect(409, 'POST', '%s/%s/%s' % (occs, done_occ, task))
            self.expect(status, 'POST', '%s/%s/%s' % (occs, occ_id, task))
            self.started.append(occ_id)
        self.wait_started()

        # delete
        self.expect(409, 'DELETE', '%s/%s' % (inst, running))
        self.expect(404, 'DELETE', '%s/%s' % (inst, unknown))
        self.expect(204, 'DELETE', '%s/%s' % (inst, running2))

    def _package_answers(self):
        pkgs = '/vnfpkgm/v1/vnf_packages'
        unknown = str(uuid.uuid4())
        onboarded = self.onboard()['id']
        created = self._new_package()

        self.expect(201, 'POST', pkgs, body={}, headers={})
        self.expect(201, 'POST', pkgs, headers={})
        self.expect(400, 'POST', pkgs, body={'name': 'x'}, headers={})
        self.expect(415, 'POST', pkgs, raw=b'{}', content_type='text/plain',
                    headers={})
        self.expect(200, 'GET', pkgs, headers={})
        self.expect(400, 'GET', pkgs + '?fields', headers={})
        self.expect(200, 'GET', '%s/%s' % (pkgs, onboarded), headers={})
        self.expect(404, 'GET', '%s/%s' % (pkgs, unknown), headers={})

        patch = dict(headers={}, content_type='application/merge-patch+json')
        self.expect(200, 'PATCH', '%s/%s' % (pkgs, onboarded),
                    raw=b'{"userDefinedData": {"owner": "ops"}}', **patch)
        self.expect(400, 'PATCH', '%s/%s' % (pkgs, onboarded), raw=b'{}',
                    **patch)
        self.expect(404, 'PATCH', '%s/%s' % (pkgs, unknown),
                    raw=b'{"operationalState": "DISABLED"}', **patch)
        self.expect(409, 'PATCH', '%s/%s' % (pkgs, created),
                    raw=b'{"operationalState": "ENABLED"}', **patch)
        self.expect(415, 'PATCH', '%s/%s' % (pkgs, onboarded),
                    body={'operationalState': 'DISABLED'}, headers={})

        content = '%s/%s/package_content'
        csar = packages.build('k8s_simple', edit=packages.with_vnfd_id(
            'k8s_simple', str(uuid.uuid4())))
        upload = dict(headers={}, content_type='application/zip')
        self.expect(400, 'PUT', content % (pkgs, created), raw=b'not a zip',
                    **upload)
        self.expect(404, 'PUT', content % (pkgs, unknown), raw=csar,
                    **upload)
        self.expect(409, 'PUT', content % (pkgs, onboarded), raw=csar,
                    **upload)
        self.expect(415, 'PUT', content % (pkgs, created), raw=csar,
                    headers={}, content_type='text/plain')
        self.expect(422, 'PUT', content % (pkgs, created),
                    raw=self._zip({'README': 'no TOSCA-Metadata here'}),
                    **upload)
        self.conf.config(max_csar_size=64, group='vnf_package')
        self.expect(413, 'PUT', content % (pkgs, created), raw=csar,
                    **upload)
        self.conf.config(max_csar_size=1 << 30, group='vnf_package')
        signer = pki.make_signer(pki.make_ca())
        signed = packages.build('k8s_simple', manifest=True,
                                sign_key=signer.key_pem,
                                sign_cert=signer.cert_pem)
        self.conf.config(trusted_ca_certs=['/nonexistent/ca.pem'],
                         group='vnf_package')
        self.expect(503, 'PUT', content % (pkgs, created), raw=signed,
                    **upload)
        self.conf.config(trusted_ca_certs=[], group='vnf_package')
        self.expect(409, 'GET', content % (pkgs, created), headers={})
        self.expect(409, 'GET', '%s/%s/vnfd' % (pkgs, created), headers={})
        self.expect(202, 'PUT', content % (pkgs, created), raw=csar,
                    **upload)
        self.expect(200, 'GET', content % (pkgs, onboarded), headers={})
        self.expect(404, 'GET', content % (pkgs, unknown), headers={})
        self.expect(200, 'GET', '%s/%s/vnfd' % (pkgs, onboarded),
                    headers={})
        self.expect(404, 'GET', '%s/%s/vnfd' % (pkgs, unknown), headers={})
        self.expect(406, 'GET', '%s/%s/vnfd' % (pkgs, onboarded),
                    headers={'Accept': 'application/json'})

        self.expect(409, 'DELETE', '%s/%s' % (pkgs, onboarded), headers={})
        self.expect(404, 'DELETE', '%s/%s' % (pkgs, unknown), headers={})
        self.expect(204, 'DELETE', '%s/%s' % (pkgs, self._new_package()),
                    headers={})

    def _subscription_answers(self):
        subs = '/vnflcm/v2/subscriptions'
        unknown = str(uuid.uuid4())
        body = {'callbackUri': 'http://127.0.0.1:9/callback',
                'filter': {'operationTypes': ['CHANGE_VNFPKG']}}
        created = self.expect(201, 'POST', subs, body=body).json
        self.expect(303, 'POST', subs, body=body)
        self.expect(400, 'POST', subs, body={'callbackUri': 'ftp://x/y'})
        self.expect(415, 'POST', subs, raw=b'{}', content_type='text/plain')
        self.expect(422, 'POST', subs, body={
            'callbackUri': 'http://127.0.0.1:9/other',
            'authentication': {'authType': ['TLS_CERT']}})
        self.expect(200, 'GET', subs)
        self.expect(400, 'GET', subs + '?marker=1')
        self.expect(200, 'GET', '%s/%s' % (subs, created['id']))
        self.expect(404, 'GET', '%s/%s' % (subs, unknown))
        self.expect(204, 'DELETE', '%s/%s' % (subs, created['id']))
        self.expect(404, 'DELETE', '%s/%s' % (subs, unknown))

    def _concrete(self, template):
        return re.sub(r'\{[^}]*\}', str(uuid.uuid4()), template)

    def _common_answers(self):
        """What every operation answers before its controller runs."""
        keystone = wsgi.ContextMiddleware(sol_app.build_router(), 'keystone')
        no_roles = dict(V2, **{'X-Identity-Status': 'Confirmed',
                               'X-Roles': '', 'X-User-Id': 'u1',
                               'X-Project-Id': 'p1'})
        for (key, method), (template, op) in sorted(self.ops.items()):
            path = self._concrete(template)
            self.expect(401, method, path, app=keystone)
            self.expect(403, method, path, app=keystone, headers=no_roles)
            self.expect(406, method, path, headers={'Version': '9.0.0'})
            self.expect(406, method, path,
                        headers=dict(V2, Accept='image/png'))
            if template.startswith('/vnflcm/v2/') and (
                    'api_versions' not in template):
                self.expect(400, method, path, headers={})
            with mock.patch.object(policy, 'authorize',
                                   side_effect=RuntimeError('boom')):
                self.expect(500, method, path)

    def _method_not_allowed(self):
        paths = {}
        for (key, method), (template, _op) in self.ops.items():
            paths.setdefault(template, set()).add(method)
        for template, methods in paths.items():
            path = self._concrete(template)
            for method in sorted(set(HTTP_METHODS) - methods):
                answer = self.exchange(method, path)
                where = '%s %s' % (method, template)
                self.assertEqual(405, answer.status, where)
                self.assertEqual('application/problem+json',
                                 answer.content_type, where)
                allowed = {m.strip() for m in
                           answer.headers['Allow'].split(',')}
                self.assertEqual(methods, allowed, where)
                schema = self.doc['components']['responses'][
                    'MethodNotAllowed']['content'][
                    'application/problem+json']['schema']
                openapi_schema_validator.validate(
                    answer.json, resolve(self.doc, schema),
                    cls=openapi_schema_validator.OAS30Validator)
