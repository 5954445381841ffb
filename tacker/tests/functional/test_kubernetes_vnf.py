"""Instantiate and terminate a VNF on the Kubernetes VIM."""
from tacker.tests.functional import kubernetes_base


class TestKubernetesInstantiate(kubernetes_base.KubernetesTestCase):
    def test_instantiate_show_terminate(self):
        pkg = self.onboard_sample('v1')
        inst = self.instantiate(pkg)
        self.assertEqual('INSTANTIATED', inst['instantiationState'])
        info = inst['instantiatedVnfInfo']
        pods = self.ready_pods('nginx')
        self.assertEqual(2, len(pods))
        self.assertEqual(pods, sorted(
            v['computeResource']['resourceId']
            for v in info['vnfcResourceInfo']))
        for vnfc in info['vnfcResourceInfo']:
            self.assertEqual('VDU1', vnfc['vduId'])
            self.assertEqual('Deployment',
                             vnfc['computeResource']['vimLevelResourceType'])
            self.assertEqual('nginx', vnfc['metadata']['Deployment']['name'])
            self.assertTrue(vnfc['metadata']['ReplicaSet']['name'].startswith(
                'nginx-'))
        self.assertEqual(self.namespace, info['metadata']['namespace'])
        self.assertEqual(kubernetes_base.V1_FILES,
                         inst['metadata']['lcm-kubernetes-def-files'])
        # The token is kept for the driver but never shown.
        self.assertNotIn(self.token, str(inst))

        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        # Its Deployment, Service, ConfigMap and the Pods it selected.
        self.assertEqual([], self.remaining())

    def test_def_files_outside_the_package_are_refused(self):
        pkg = self.onboard_sample('v1')
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId']})
        for files, status in ((['../../../etc/passwd'], 400),
                              (['Files/kubernetes/nope.yaml'], 400),
                              (['Files/kubernetes/configmap.yaml'], 422)):
            answer = self.client.request(
                'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' %
                resp.body['id'], {
                    'flavourId': 'simple',
                    'vimConnectionInfo': self.vim_connection_info(),
                    'additionalParams': self.instantiate_params(files)})
            self.assertEqual(status, answer.status_code, answer.text)
        self.assertEqual([], self.deployments())

    def test_links_to_vim_networks_are_refused_by_name(self):
        pkg = self.onboard_sample('v1')
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId']})
        answer = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' %
            resp.body['id'], {
                'flavourId': 'simple',
                'vimConnectionInfo': self.vim_connection_info(),
                'extVirtualLinks': [{'id': 'vl1', 'resourceId': 'net-1',
                                     'extCps': [{'cpdId': 'VDU1_CP1'}]}],
                'additionalParams': self.instantiate_params(
                    kubernetes_base.V1_FILES)})
        self.assertEqual(422, answer.status_code, answer.text)
        self.assertEqual('application/problem+json',
                         answer.headers['Content-Type'])
        self.assertIn('extVirtualLinks', answer.body['detail'])
        self.assertEqual([], self.deployments())
        self.assertEqual('NOT_INSTANTIATED', self.client.request(
            'GET', '/vnflcm/v2/vnf_instances/' + resp.body['id']).body[
                'instantiationState'])

    def test_vim_error_fails_then_rollback_and_retry(self):
        pkg = self.onboard_sample('v1')
        self.proxy.fail(500, body={'kind': 'Status', 'message': 'etcd down'},
                        method='POST', path_regex='/deployments$', nth=1)
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId']})
        inst_id = resp.body['id']
        occ_id = self.start_op(inst_id, 'instantiate', {
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'additionalParams': self.instantiate_params()})
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('apply_manifests', occ['error']['detail'])
        self.assertIn('etcd down', occ['error']['detail'])
        self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual([], self.deployments())
        self.assertEqual([], self.config_maps())

        self.proxy.fail(500, body={'kind': 'Status', 'message': 'again'},
                        method='POST', path_regex='/deployments$', nth=1)
        occ_id = self.start_op(inst_id, 'instantiate', {
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'additionalParams': self.instantiate_params()})
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(['nginx'], self.deployments())

    def test_vim_that_never_answers_fails_at_the_read_timeout(self):
        pkg = self.onboard_sample('v1')
        self.proxy.hang(method='POST', path_regex='/configmaps$')
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId']})
        occ_id = self.start_op(resp.body['id'], 'instantiate', {
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'additionalParams': self.instantiate_params()})
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP'], timeout=60).body
        self.assertIn('did not answer', occ['error']['detail'])
