"""The real tacker-server process, conductor in-process, over HTTP."""
from tacker.tests.functional import base


class TestApiBasics(base.FunctionalTestCase):
    def test_api_versions(self):
        lcm, pkgm = ['2.0.0'], ['2.0.0', '2.1.0']
        for path, prefix, served in (
                ('/vnflcm/api_versions', '/vnflcm', lcm),
                ('/vnflcm/v2/api_versions', '/vnflcm/v2', lcm),
                ('/vnfpkgm/api_versions', '/vnfpkgm', pkgm),
                ('/vnfpkgm/v1/api_versions', '/vnfpkgm/v1', pkgm)):
            self.client.version = None
            resp = self.client.request('GET', path)
            self.assertEqual(200, resp.status_code, path)
            self.assertEqual(prefix, resp.body['uriPrefix'])
            self.assertEqual(served, [v['version'] for v in
                                      resp.body['apiVersions']])
            self.assertEqual(served[-1], resp.headers['Version'])

    def test_version_header_required(self):
        self.client.version = None
        resp = self.client.request('GET', '/vnflcm/v2/vnf_instances')
        self.assertEqual(400, resp.status_code)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertIn('Version', resp.body['detail'])

    def test_unsupported_version_is_406(self):
        self.client.version = '9.0.0'
        resp = self.client.request('GET', '/vnflcm/v2/vnf_instances')
        self.assertEqual(406, resp.status_code)
        self.assertIn('2.0.0', resp.body['detail'])

    def test_bad_bodies(self):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances', data=b'{"vnfdId": ',
            headers={'Content-Type': 'application/json'})
        self.assertEqual(400, resp.status_code)
        self.assertEqual(400, resp.body['status'])
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances', data=b'vnfdId=x',
            headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(415, resp.status_code)
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': 7})
        self.assertEqual(400, resp.status_code)
        self.assertIn('vnfdId', resp.body['detail'])
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': 'no-such-vnfd'})
        self.assertEqual(404, resp.status_code)
        self.assertIn('no-such-vnfd', resp.body['detail'])

    def test_unknown_resources(self):
        resp = self.client.request('GET', '/vnflcm/v2/vnf_instances/nope')
        self.assertEqual(404, resp.status_code)
        self.assertIn('nope', resp.body['detail'])
        # Outside every API: nothing in the ETSI files to check it by.
        self.client.check_conformance = False
        resp = self.client.request('GET', '/no/such/path')
        self.client.check_conformance = True
        self.assertEqual(404, resp.status_code)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        resp = self.client.request('PUT', '/vnflcm/v2/vnf_instances')
        self.assertEqual(405, resp.status_code)
        self.assertEqual('POST, GET', resp.headers['Allow'])
        resp = self.client.request('GET', '/vnflcm/v2/vnf_instances',
                                   headers={'Accept': 'text/html'})
        self.assertEqual(406, resp.status_code)


class TestInstanceLifecycle(base.FunctionalTestCase):
    def test_create_instantiate_terminate_delete(self):
        inst = self.create_instance()
        self.assertEqual('NOT_INSTANTIATED', inst['instantiationState'])
        self.assertIn('instantiate', inst['_links'])
        resp = self.client.request('GET', '/vnflcm/v2/vnf_instances')
        self.assertEqual([inst['id']], [i['id'] for i in resp.body])

        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        occ = self.client.wait_op(occ_id, ['COMPLETED']).body
        self.assertEqual('INSTANTIATE', occ['operation'])
        self.assertEqual(['ADDED'], [c['changeType'] for c in
                                     occ['resourceChanges']['affectedVnfcs']])
        # The request's password is kept for the driver, never shown.
        self.assertNotIn('func-s3cret', str(occ))
        shown = self.client.request(
            'GET', '/vnflcm/v2/vnf_instances/' + inst['id']).body
        self.assertEqual('INSTANTIATED', shown['instantiationState'])
        self.assertNotIn('func-s3cret', str(shown))
        vnfc = shown['instantiatedVnfInfo']['vnfcResourceInfo'][0]
        self.assertEqual(
            self.vim.resources[inst['id']]['create_servers'],
            vnfc['computeResource']['resourceId'])

        resp = self.client.request(
            'DELETE', '/vnflcm/v2/vnf_instances/' + inst['id'])
        self.assertEqual(409, resp.status_code)

        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual({}, self.vim.resources[inst['id']])
        resp = self.client.request(
            'DELETE', '/vnflcm/v2/vnf_instances/' + inst['id'])
        self.assertEqual(204, resp.status_code)
        resp = self.client.request(
            'GET', '/vnflcm/v2/vnf_instances/' + inst['id'])
        self.assertEqual(404, resp.status_code)

    def test_failure_rollback_and_retry(self):
        inst = self.create_instance()
        self.vim.fail('create_servers')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('create_servers', occ['error']['detail'])
        self.assertIn('retry', occ['_links'])
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.assertEqual(202, resp.status_code)
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual({}, self.vim.resources[inst['id']])

        self.vim.fail('wait_ready')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.assertEqual(202, resp.status_code)
        self.client.wait_op(occ_id, ['COMPLETED'])
        shown = self.client.request(
            'GET', '/vnflcm/v2/vnf_instances/' + inst['id']).body
        self.assertEqual('INSTANTIATED', shown['instantiationState'])


class TestServerRestart(base.FunctionalTestCase):
    def test_operation_of_a_killed_server_can_be_retried(self):
        inst = self.create_instance()
        self.vim.hang('create_servers')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.client.wait_op(occ_id, ['PROCESSING'])
        self.wait_until(lambda: 'create_servers' in self.vim.calls,
                        'the create_servers step')
        # The server (and its in-process conductor) dies without a word.
        self.service.server.stop(sig=9)
        self.vim.release('create_servers')
        self.service.start_server()
        self.client = base.service.Client(self.service.base_url)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('stopped responding', occ['error']['detail'])
        self.assertIn('create_network', occ['error']['detail'])
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.assertEqual(202, resp.status_code)
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(1, self.vim.calls.count('create_network'))


class TestNotifications(base.FunctionalTestCase):
    def test_subscriber_hears_every_state_of_an_operation(self):
        from tacker.tests import etsi_openapi
        from tacker.tests.unit import notification_receiver
        receiver = self.useFixture(notification_receiver.Receiver())
        resp = self.client.request('POST', '/vnflcm/v2/subscriptions', {
            'callbackUri': receiver.uri(),
            'authentication': {'authType': ['BASIC'], 'paramsBasic': {
                'userName': 'nfvo', 'password': 'sub-s3cret'}}})
        self.assertEqual(201, resp.status_code, resp.text)
        self.assertNotIn('sub-s3cret', resp.text)
        inst = self.create_instance()
        self.vim.fail('wait_ready')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.client.wait_op(occ_id, ['COMPLETED'])
        # creation + STARTING, PROCESSING, FAILED_TEMP, PROCESSING,
        # COMPLETED
        receiver.wait_for(6)
        bodies = receiver.bodies()
        for body in bodies:
            etsi_openapi.check_notification(body)
        states = [b['operationState'] for b in bodies
                  if b['notificationType'] ==
                  'VnfLcmOperationOccurrenceNotification']
        self.assertEqual(['STARTING', 'PROCESSING', 'FAILED_TEMP',
                          'PROCESSING', 'COMPLETED'], states)
        self.assertEqual('VnfIdentifierCreationNotification',
                         bodies[0]['notificationType'])
        self.assertNotIn('func-s3cret', str(bodies))
        self.assertNotIn('sub-s3cret', self.service.logs())
