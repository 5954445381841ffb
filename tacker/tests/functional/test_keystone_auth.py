"""tacker-server with auth_strategy = keystone against a real Keystone."""
from tacker.tests.functional import keystone_base
from tacker.tests.functional import service


class TestKeystoneAuth(keystone_base.KeystoneServiceTestCase):

    def client(self, who=None):
        client = service.Client(self.service.base_url)
        if who is not None:
            client.session.headers['X-Auth-Token'] = (
                self.keystone.token_for(who))
        return client

    def test_no_token_is_401_problem_details(self):
        resp = self.client().request('GET', '/vnflcm/v2/vnf_instances')
        self.assertEqual(401, resp.status_code)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertIn('WWW-Authenticate', resp.headers)
        self.assertIn('token', resp.body['detail'])

    def test_bad_token_is_401(self):
        client = self.client()
        client.session.headers['X-Auth-Token'] = 'not-a-token'
        resp = client.request('GET', '/vnflcm/v2/vnf_instances')
        self.assertEqual(401, resp.status_code)

    def test_roles_decide_through_policy(self):
        body = {'vnfdId': 'no-such-vnfd'}
        # member: allowed by policy, so the request reaches the check of
        # the vnfdId.
        resp = self.client('member').request(
            'POST', '/vnflcm/v2/vnf_instances', body)
        self.assertEqual(404, resp.status_code)
        # reader: may look, may not change.
        reader = self.client('reader')
        self.assertEqual(200, reader.request(
            'GET', '/vnflcm/v2/vnf_instances').status_code)
        resp = reader.request('POST', '/vnflcm/v2/vnf_instances', body)
        self.assertEqual(403, resp.status_code)
        self.assertIn('vnf_instance:create', resp.body['detail'])
        for method, path in (
                ('DELETE', '/vnflcm/v2/vnf_instances/x'),
                ('POST', '/vnflcm/v2/vnf_instances/x/instantiate'),
                ('POST', '/vnflcm/v2/vnf_lcm_op_occs/x/rollback'),
                ('POST', '/vnfpkgm/v1/vnf_packages')):
            resp = reader.request(method, path, {})
            self.assertEqual(403, resp.status_code, path)

    def test_service_logs_hold_no_token(self):
        token = self.keystone.token_for('member')
        client = self.client()
        client.session.headers['X-Auth-Token'] = token
        client.request('GET', '/vnflcm/v2/vnf_instances')
        self.assertNotIn(token, self.service.logs())
