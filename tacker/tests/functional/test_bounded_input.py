"""Request bodies out of bounds, sent to the real tacker-server.

Too large (by Content-Length, or chunked without one), nested too deep,
holding a NUL character, or invalid with a value that must not come back
(a secret, megabytes of text): each is a ProblemDetails with the right
status, a short detail naming the attribute, and nothing written.
"""
import json

import requests

from tacker.tests.functional import base

INSTANCES = '/vnflcm/v2/vnf_instances'
LIMIT = 64 * 1024


class TestBoundedInput(base.FunctionalTestCase):
    service_options = {('DEFAULT', 'max_request_body_size'): str(LIMIT),
                       ('DEFAULT', 'max_json_depth'): '16'}

    def setUp(self):
        super().setUp()
        self.pkg = self.add_package()

    def raw(self, data, headers=None):
        all_headers = {'Content-Type': 'application/json',
                       'Accept': 'application/json', 'Version': '2.0.0'}
        all_headers.update(headers or {})
        resp = requests.post(self.service.base_url + INSTANCES, data=data,
                             headers=all_headers, timeout=30)
        return resp

    def assertProblem(self, resp, status, *words):
        self.assertEqual(status, resp.status_code, resp.text)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        body = resp.json()
        self.assertEqual(status, body['status'])
        for word in words:
            self.assertIn(word, body['detail'])
        # A detail a person reads, not an echo of the request.
        self.assertLess(len(body['detail']), 400)
        return body

    def assertNothingWritten(self):
        resp = self.client.request('GET', INSTANCES)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual([], resp.body)

    def test_body_over_the_limit_is_413_before_it_is_read(self):
        body = json.dumps({'vnfdId': self.pkg['vnfdId'],
                           'vnfInstanceDescription': 'x' * (2 * LIMIT)})
        resp = self.raw(body)
        self.assertProblem(resp, 413, str(LIMIT))
        self.assertNothingWritten()

    def test_chunked_body_over_the_limit_is_413(self):
        chunk = b' ' * 4096

        def chunks():
            yield b'{"vnfdId": "%s", "x": "' % self.pkg['vnfdId'].encode()
            for _n in range(4 * LIMIT // len(chunk)):
                yield chunk
            yield b'"}'
        resp = self.raw(chunks())
        self.assertProblem(resp, 413, str(LIMIT))
        self.assertNothingWritten()

    def test_a_body_within_the_limit_is_taken(self):
        resp = self.client.request('POST', INSTANCES, {
            'vnfdId': self.pkg['vnfdId'],
            'metadata': {'blob': 'x' * (LIMIT // 2)}})
        self.assertEqual(201, resp.status_code, resp.text)

    def test_deep_nesting_is_400(self):
        for depth in (17, 30000):
            body = ('{"vnfdId": "%s", "metadata": %s%s}' % (
                self.pkg['vnfdId'], '[' * depth, ']' * depth))
            self.assertProblem(self.raw(body), 400, 'deeper than 16')
        self.assertNothingWritten()

    def test_nul_character_is_400_naming_the_attribute(self):
        resp = self.client.request('POST', INSTANCES, {
            'vnfdId': self.pkg['vnfdId'],
            'vnfInstanceName': 'nginx\u0000../../etc'})
        self.assertProblem(resp, 400, 'vnfInstanceName', 'NUL')
        resp = self.client.request('POST', INSTANCES, {
            'vnfdId': self.pkg['vnfdId'], 'metadata': {'a\u0000b': 1}})
        self.assertProblem(resp, 400, 'metadata', 'NUL')
        self.assertNothingWritten()

    def test_invalid_value_is_named_not_echoed(self):
        inst = self.create_instance()
        secret = 'tok-9f8e7d6c5b4a'
        body = self.instantiate_body()
        body['vimConnectionInfo']['vim1']['accessInfo'] = secret
        resp = self.client.request(
            'POST', '%s/%s/instantiate' % (INSTANCES, inst['id']), body)
        problem = self.assertProblem(resp, 400, 'accessInfo', 'object')
        self.assertNotIn(secret, json.dumps(problem))
        self.assertNotIn(secret, self.service.logs())

        body = self.instantiate_body()
        body['flavourId'] = ['f' * 30000]
        resp = self.client.request(
            'POST', '%s/%s/instantiate' % (INSTANCES, inst['id']), body)
        self.assertProblem(resp, 400, 'flavourId', 'string')
        self.assertEqual(
            'NOT_INSTANTIATED',
            self.client.request('GET', '%s/%s' % (
                INSTANCES, inst['id'])).body['instantiationState'])


class TestAttackersBodiesWithDefaults(base.FunctionalTestCase):
    """The bodies of the security review, against the default limits."""

    def post(self, data):
        return requests.post(
            self.service.base_url + INSTANCES, data=data, timeout=60,
            headers={'Content-Type': 'application/json',
                     'Accept': 'application/json', 'Version': '2.0.0'})

    def test_100000_levels_and_20_mb(self):
        deep = '{"vnfdId": "x", "metadata": %s%s}' % ('[' * 100000,
                                                      ']' * 100000)
        resp = self.post(deep)
        self.assertEqual(400, resp.status_code, resp.text[:500])
        self.assertIn('deeper than 32', resp.json()['detail'])
        resp = self.post(b'{"vnfdId": "' + b'x' * (20 * 1024 * 1024) +
                         b'"}')
        self.assertEqual(413, resp.status_code, resp.text[:500])
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertLess(len(resp.content), 1000)
