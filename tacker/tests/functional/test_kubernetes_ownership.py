"""A VNF instance's objects belong to it, and only its objects.

Each object carries a label naming its VNF instance; an object that
exists without this instance's label is refused (409), never taken over,
and terminate deletes only what carries the label.
"""

from tacker.tests.functional import kubernetes_base as kb
from tacker.tests.functional import test_kubernetes_change_vnfpkg as change

LABEL = 'tacker.openstack.org/vnf-instance-id'


class TestOwnership(kb.KubernetesTestCase):
    def start_instantiate(self, pkg):
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId']})
        self.assertEqual(201, resp.status_code, resp.text)
        occ_id = self.start_op(resp.body['id'], 'instantiate', {
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'additionalParams': self.instantiate_params()})
        return resp.body['id'], occ_id

    def rollback(self, occ_id):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.assertEqual(202, resp.status_code, resp.text)
        self.client.wait_op(occ_id, ['ROLLED_BACK'])

    def assertRefused(self, occ, step, *named):
        self.assertEqual('FAILED_TEMP', occ['operationState'])
        self.assertEqual(409, occ['error']['status'])
        self.assertIn('step %s failed' % step, occ['error']['detail'])
        for text in named:
            self.assertIn(text, occ['error']['detail'])

    def snapshot(self):
        """What the first VNF has: its objects' uids and versions, Pods."""
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        svc = self.core.read_namespaced_service('nginx', self.namespace)
        cm = self.core.read_namespaced_config_map('nginx-config-v1',
                                                  self.namespace)
        return {'objects': [(o.metadata.uid, o.metadata.resource_version,
                             o.metadata.labels.get(LABEL))
                            for o in (dep, svc, cm)],
                'pods': self.owned_pods('nginx')}

    def test_second_instance_in_the_namespace_is_refused(self):
        pkg = self.onboard_sample('v1')
        first = self.instantiate(pkg)
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual(first['id'], dep.metadata.labels[LABEL])
        self.assertNotIn(LABEL, dep.spec.selector.match_labels)
        for pod in self.core.list_namespaced_pod(
                self.namespace, label_selector=self.selector('nginx')).items:
            self.assertEqual(first['id'], pod.metadata.labels[LABEL])
        before = self.snapshot()

        second_id, occ_id = self.start_instantiate(pkg)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertRefused(occ, 'apply_manifests', 'Deployment nginx',
                           'VNF instance %s' % first['id'])
        self.rollback(occ_id)
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(second_id)['instantiationState'])
        self.assertEqual(before, self.snapshot())
        self.assertEqual(first['instantiatedVnfInfo'],
                         self.show(first['id'])['instantiatedVnfInfo'])

        # Someone else's Service now has the first VNF's Service's name:
        # terminate leaves it.
        self.core.delete_namespaced_service('nginx', self.namespace)
        self.core.create_namespaced_service(self.namespace, {
            'apiVersion': 'v1', 'kind': 'Service',
            'metadata': {'name': 'nginx'},
            'spec': {'selector': {'app': 'other'},
                     'ports': [{'port': 80}]}})
        occ_id = self.start_op(first['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual([('Service', 'nginx')], self.remaining())
        self.assertEqual({'app': 'other'}, self.service_selector())

    def test_object_nobody_owns_is_refused_not_taken_over(self):
        self.core.create_namespaced_config_map(self.namespace, {
            'apiVersion': 'v1', 'kind': 'ConfigMap',
            'metadata': {'name': 'nginx-config-v1'},
            'data': {'mine': 'yes'}})
        pkg = self.onboard_sample('v1')
        _inst_id, occ_id = self.start_instantiate(pkg)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertRefused(occ, 'apply_manifests',
                           'ConfigMap nginx-config-v1', 'no VNF instance')
        # Nothing was created, the ConfigMap is as it was.
        self.assertEqual([], self.deployments())
        self.assertFalse(self.exists('Service', 'nginx'))
        self.rollback(occ_id)
        cm = self.core.read_namespaced_config_map('nginx-config-v1',
                                                  self.namespace)
        self.assertEqual({'mine': 'yes'}, cm.data)
        self.assertNotIn(LABEL, cm.metadata.labels or {})


class TestBlueGreenOwnership(change.ChangeVnfPkgTestCase):
    def test_new_object_owned_elsewhere_is_refused(self):
        self.core.create_namespaced_config_map(self.namespace, {
            'apiVersion': 'v1', 'kind': 'ConfigMap',
            'metadata': {'name': 'nginx-config-v2'},
            'data': {'mine': 'yes'}})
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertEqual(409, occ['error']['status'])
        self.assertIn('step apply_new failed', occ['error']['detail'])
        self.assertIn('ConfigMap nginx-config-v2', occ['error']['detail'])
        self.assertEqual(['nginx'], self.deployments())
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertUnchanged()
        cm = self.core.read_namespaced_config_map('nginx-config-v2',
                                                  self.namespace)
        self.assertEqual({'mine': 'yes'}, cm.data)
