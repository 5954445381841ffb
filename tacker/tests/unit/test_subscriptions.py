"""/vnflcm/v2/subscriptions through the WSGI app, callbacks over HTTP."""
import json

import fixtures
import webob

from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import callback_client
from tacker.sol_refactored.common import config
from tacker.sol_refactored.controller import subscriptions
from tacker.tests import base
from tacker.tests import etsi_openapi
from tacker.tests.unit import notification_receiver as nr

PATH = '/vnflcm/v2/subscriptions'
PASSWORD = 'pa55-w0rd-never-shown'


def _app():
    # Only this controller's routes: the test is about them, and it must
    # not depend on the other controllers being present.
    router = wsgi.Router()
    subscriptions.add_routes(router)
    return wsgi.ContextMiddleware(router, 'noauth')


class SubscriptionApiTest(base.TestCase):

    def setUp(self):
        super().setUp()
        # oslo.policy needs a parsed CONF; the shared test base does not
        # parse it (yet).
        config.CONF([], project='tacker', default_config_files=[])
        self.conf.config(timeout=2.0, group='notification')
        # The receivers listen on loopback, which callbacks may reach
        # only when the operator lists it.
        self.conf.config(allowed_callback_networks=['127.0.0.0/8'],
                         group='notification')
        # Callbacks go to 127.0.0.1 only, even where a proxy is configured.
        for name in ('no_proxy', 'NO_PROXY'):
            self.useFixture(fixtures.EnvironmentVariable(name, '127.0.0.1'))
        self.conf.config(public_endpoint='http://tacker.test:9890')
        callback_client.TOKENS.clear()
        self.app = _app()
        self.receiver = self.useFixture(nr.Receiver())

    def call(self, method, path=PATH, body=None, raw=None,
             content_type='application/json'):
        headers = {'Version': '2.0.0'}
        if body is not None or raw is not None:
            headers['Content-Type'] = content_type
        req = webob.Request.blank(path, method=method, headers=headers)
        if body is not None:
            req.body = json.dumps(body).encode()
        elif raw is not None:
            req.body = raw
        return req.get_response(self.app)

    def create(self, **extra):
        body = {'callbackUri': self.receiver.uri()}
        body.update(extra)
        return self.call('POST', body=body)

    def assertProblem(self, resp, status, *words):
        self.assertEqual(status, resp.status_int, resp.text)
        self.assertEqual('application/problem+json', resp.content_type)
        problem = resp.json
        self.assertEqual(status, problem['status'])
        for word in words:
            self.assertIn(word, problem['detail'])
        return problem

    def list_ids(self):
        resp = self.call('GET')
        self.assertEqual(200, resp.status_int)
        return [s['id'] for s in resp.json]

    def test_create_show_list_delete(self):
        resp = self.create(verbosity='SHORT', filter={
            'notificationTypes': ['VnfLcmOperationOccurrenceNotification'],
            'operationStates': ['COMPLETED']})
        self.assertEqual(201, resp.status_int, resp.text)
        self.assertEqual('2.0.0', resp.headers['Version'])
        created = resp.json
        href = 'http://tacker.test:9890%s/%s' % (PATH, created['id'])
        self.assertEqual(href, resp.headers['Location'])
        self.assertEqual({'self': {'href': href}}, created['_links'])
        self.assertEqual(self.receiver.uri(), created['callbackUri'])
        self.assertEqual('SHORT', created['verbosity'])
        self.assertEqual(['COMPLETED'],
                         created['filter']['operationStates'])
        self.assertNotIn('authentication', created)
        etsi_openapi.check_response('POST', PATH, resp.status_int,
                                    resp.headers, created)

        # The callback was tested once, with a GET carrying the version.
        gets = [r for r in self.receiver.requests if r['method'] == 'GET']
        self.assertEqual(1, len(gets))
        self.assertEqual('/callback', gets[0]['path'])
        self.assertEqual('2.0.0', gets[0]['headers']['Version'])

        shown = self.call('GET', '%s/%s' % (PATH, created['id']))
        self.assertEqual(200, shown.status_int)
        self.assertEqual(created, shown.json)
        listed = self.call('GET')
        etsi_openapi.check_response('GET', PATH, listed.status_int,
                                    listed.headers, listed.json)
        self.assertEqual([created['id']], self.list_ids())

        deleted = self.call('DELETE', '%s/%s' % (PATH, created['id']))
        self.assertEqual(204, deleted.status_int)
        self.assertEqual(b'', deleted.body)
        self.assertProblem(self.call('GET', '%s/%s' % (PATH, created['id'])),
                           404, created['id'])
        self.assertEqual([], self.list_ids())

    def test_verbosity_defaults_to_full(self):
        resp = self.create()
        self.assertEqual(201, resp.status_int, resp.text)
        self.assertEqual('FULL', resp.json['verbosity'])
        self.assertNotIn('filter', resp.json)

    def test_unknown_subscription(self):
        self.assertProblem(self.call('GET', PATH + '/nope'), 404, 'nope')
        self.assertProblem(self.call('DELETE', PATH + '/nope'), 404, 'nope')

    def _assert_refused_callback(self, *words):
        resp = self.create()
        self.assertProblem(resp, 400, *words)
        self.assertEqual([], self.list_ids())

    def test_callback_answering_404_is_refused(self):
        self.receiver.get_status = 404
        self._assert_refused_callback('404', '204')

    def test_callback_answering_500_is_refused(self):
        self.receiver.get_status = 500
        self._assert_refused_callback('500', '204')

    def test_callback_answering_200_is_refused(self):
        self.receiver.get_status = 200
        self._assert_refused_callback('200', '204')

    def test_unreachable_callback_is_refused(self):
        resp = self.call('POST', body={'callbackUri': nr.unreachable_uri()})
        self.assertProblem(resp, 400, 'GET', 'reachable')
        self.assertEqual([], self.list_ids())

    def test_callback_test_can_be_switched_off(self):
        self.conf.config(test_callback_uri=False, group='notification')
        resp = self.call('POST', body={'callbackUri': nr.unreachable_uri()})
        self.assertEqual(201, resp.status_int, resp.text)

    def test_identical_subscription_answers_see_other(self):
        subsc_filter = {'vnfInstanceSubscriptionFilter': {
            'vnfdIds': ['vnfd-1']}}
        first = self.create(filter=subsc_filter)
        self.assertEqual(201, first.status_int)
        again = self.create(filter=subsc_filter, verbosity='SHORT')
        self.assertEqual(303, again.status_int, again.text)
        self.assertEqual(first.headers['Location'], again.headers['Location'])
        self.assertEqual(b'', again.body)
        # A different filter is a different subscription.
        other = self.create(filter={'vnfInstanceSubscriptionFilter': {
            'vnfdIds': ['vnfd-2']}})
        self.assertEqual(201, other.status_int)
        self.assertEqual(2, len(self.list_ids()))

    def test_schema_errors_name_the_attribute(self):
        cases = [
            ({}, 'callbackUri'),
            ({'callbackUri': self.receiver.uri(), 'verbosity': 'LOUD'},
             'verbosity'),
            ({'callbackUri': self.receiver.uri(),
              'filter': {'vnfInstanceSubscriptionFilter': {
                  'vnfdId': ['x']}}}, 'vnfdId'),
            ({'callbackUri': self.receiver.uri(),
              'filter': {'notificationTypes': ['Nope']}},
             'notificationTypes'),
            ({'callbackUri': self.receiver.uri(),
              'filter': {'operationStates': ['DONE']}}, 'operationStates'),
            ({'callbackUri': self.receiver.uri(),
              'authentication': {'authType': ['DIGEST']}}, 'authType'),
            ({'callbackUri': 42}, 'callbackUri'),
        ]
        for body, word in cases:
            resp = self.call('POST', body=body)
            self.assertProblem(resp, 400, word)
        self.assertEqual([], self.list_ids())
        self.assertEqual([], self.receiver.requests)

    def test_bad_json_and_media_type(self):
        self.assertProblem(self.call('POST', raw=b'{"callbackUri": '), 400,
                           'JSON')
        self.assertProblem(self.call('POST', raw=b'callbackUri=x',
                                     content_type='text/plain'), 415)

    def test_callback_uri_must_be_http(self):
        resp = self.call('POST', body={'callbackUri': 'ftp://127.0.0.1/x'})
        self.assertProblem(resp, 400, 'callbackUri', 'http')

    def test_filter_alternatives_exclude_each_other(self):
        resp = self.create(filter={'vnfInstanceSubscriptionFilter': {
            'vnfInstanceIds': ['a'], 'vnfInstanceNames': ['b']}})
        self.assertProblem(resp, 400, 'vnfInstanceIds', 'vnfInstanceNames')

    def test_operation_filters_need_the_lcmocc_type(self):
        resp = self.create(filter={
            'notificationTypes': ['VnfIdentifierCreationNotification'],
            'operationTypes': ['INSTANTIATE']})
        self.assertProblem(resp, 400, 'operationTypes')

    def test_tls_cert_only_is_unprocessable(self):
        resp = self.create(authentication={'authType': ['TLS_CERT']})
        self.assertProblem(resp, 422, 'TLS_CERT')
        self.assertEqual([], self.list_ids())

    def test_basic_needs_its_parameters(self):
        resp = self.create(authentication={
            'authType': ['BASIC'], 'paramsBasic': {'userName': 'nfvo'}})
        self.assertProblem(resp, 400, 'paramsBasic', 'password')

    def test_basic_credentials_used_and_never_shown(self):
        resp = self.create(authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'nfvo', 'password': PASSWORD}})
        self.assertEqual(201, resp.status_int, resp.text)
        self.assertNotIn(PASSWORD, resp.text)
        self.assertNotIn('authentication', resp.json)
        gets = [r for r in self.receiver.requests if r['method'] == 'GET']
        self.assertEqual(['nfvo', PASSWORD], nr.basic_credentials(gets[0]))
        shown = self.call('GET', '%s/%s' % (PATH, resp.json['id']))
        self.assertNotIn(PASSWORD, shown.text)
        self.assertNotIn('authentication', shown.json)
        listed = self.call('GET')
        self.assertNotIn(PASSWORD, listed.text)

    def test_refused_basic_callback_does_not_echo_the_password(self):
        self.receiver.get_status = 401
        resp = self.create(authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'nfvo', 'password': PASSWORD}})
        self.assertProblem(resp, 400, '401')
        self.assertNotIn(PASSWORD, resp.text)

    def test_oauth2_token_used_for_the_callback_test(self):
        resp = self.create(authentication={
            'authType': ['OAUTH2_CLIENT_CREDENTIALS'],
            'paramsOauth2ClientCredentials': {
                'clientId': 'nfvo', 'clientPassword': PASSWORD,
                'tokenEndpoint': self.receiver.uri(nr.TOKEN_PATH)}})
        self.assertEqual(201, resp.status_int, resp.text)
        self.assertNotIn(PASSWORD, resp.text)
        token_request = self.receiver.token_requests[0]
        self.assertEqual(['nfvo', PASSWORD],
                         nr.basic_credentials(token_request))
        self.assertIn(b'grant_type=client_credentials', token_request['raw'])
        gets = [r for r in self.receiver.requests if r['method'] == 'GET']
        self.assertEqual('Bearer token-1', gets[0]['headers']['Authorization'])

    def test_version_header_required(self):
        req = webob.Request.blank(PATH, method='GET')
        resp = req.get_response(self.app)
        self.assertProblem(resp, 400, 'Version')
