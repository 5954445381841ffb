"""Packages whose manifests create the VNF's Namespace.

Most CNF packages start ``lcm-kubernetes-def-files`` with a Namespace
manifest and leave ``metadata.namespace`` out of the other objects. The
Namespace's name is random per test, so that the test runs on any
cluster; it is deleted at cleanup should the test stop halfway.
"""
import os
import uuid

import kubernetes
import yaml

from tacker.tests.functional import kubernetes_base as kb
from tacker.tests.functional import test_kubernetes_change_vnfpkg as change

NS_FILE = 'Files/kubernetes/namespace.yaml'


class TestManifestNamespace(kb.KubernetesTestCase):
    def setUp(self):
        super().setUp()
        self.vnf_namespace = kb.NAMESPACE_PREFIX + 'own-' + \
            uuid.uuid4().hex[:8]
        self.addCleanup(self.delete_namespace, self.vnf_namespace)

    def with_namespace(self, src):
        with open(os.path.join(src, NS_FILE), 'w') as f:
            yaml.safe_dump({'apiVersion': 'v1', 'kind': 'Namespace',
                            'metadata': {'name': self.vnf_namespace}}, f)

    def instantiate_params(self, files=None):
        # The namespace comes from the manifests alone.
        return {'lcm-kubernetes-def-files': files}

    def namespace_exists(self):
        try:
            self.core.read_namespace(self.vnf_namespace)
        except kubernetes.client.exceptions.ApiException as e:
            if e.status == 404:
                return False
            raise
        return True

    def test_instantiate_change_terminate(self):
        v1 = self.onboard_sample('v1', edit=self.with_namespace)
        inst = self.instantiate(v1, [NS_FILE] + kb.V1_FILES)
        info = inst['instantiatedVnfInfo']
        self.assertEqual(self.vnf_namespace, info['metadata']['namespace'])
        self.assertIn({'kind': 'Namespace', 'name': self.vnf_namespace},
                      info['metadata']['resources'])
        # The helpers look at the VNF's namespace from now on.
        self.namespace = self.vnf_namespace
        self.assertEqual(['nginx'], self.deployments())
        self.assertEqual(['nginx-config-v1'], self.config_maps())
        self.assertTrue(self.exists('Service', 'nginx'))
        self.assertEqual(sorted(v['computeResource']['resourceId']
                                for v in info['vnfcResourceInfo']),
                         self.ready_pods('nginx'))

        v2 = self.onboard_sample('v2', edit=self.with_namespace)
        params = {'upgrade_type': 'BlueGreen',
                  'lcm-kubernetes-def-files': [NS_FILE] + kb.V2_BLUE_GREEN}
        params.update(change.NEW_SCRIPT)
        params.update(change.OLD_SCRIPT)
        occ_id = self.start_op(inst['id'], 'change_vnfpkg',
                               {'vnfdId': v2['vnfdId'],
                                'additionalParams': params})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertTrue(self.namespace_exists())
        self.assertEqual(['nginx-v2'], self.deployments())
        inst = self.show(inst['id'])
        meta = inst['instantiatedVnfInfo']['metadata']
        self.assertEqual(self.vnf_namespace, meta['namespace'])
        self.assertIn({'kind': 'Namespace', 'name': self.vnf_namespace},
                      meta['resources'])
        self.assertEqual(sorted(
            v['computeResource']['resourceId'] for v in
            inst['instantiatedVnfInfo']['vnfcResourceInfo']),
            self.ready_pods('nginx-v2'))

        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertFalse(self.namespace_exists())

    def test_rolling_update_keeps_the_namespace(self):
        v1 = self.onboard_sample('v1', edit=self.with_namespace)
        inst = self.instantiate(v1, [NS_FILE] + kb.V1_FILES)
        self.namespace = self.vnf_namespace
        v2 = self.onboard_sample('v2', edit=self.with_namespace)
        # The new package's manifests leave the Namespace out: kept all
        # the same.
        params = {'upgrade_type': 'RollingUpdate',
                  'lcm-kubernetes-def-files': kb.V2_ROLLING}
        params.update(change.NEW_SCRIPT)
        occ_id = self.start_op(inst['id'], 'change_vnfpkg',
                               {'vnfdId': v2['vnfdId'],
                                'additionalParams': params})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertTrue(self.namespace_exists())
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.27',
                         dep.spec.template.spec.containers[0].image)
        meta = self.show(inst['id'])['instantiatedVnfInfo']['metadata']
        self.assertIn({'kind': 'Namespace', 'name': self.vnf_namespace},
                      meta['resources'])
        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertFalse(self.namespace_exists())

    def test_namespace_param_and_manifest_differ_is_422(self):
        v1 = self.onboard_sample('v1', edit=self.with_namespace)
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': v1['vnfdId']})
        answer = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' %
            resp.body['id'], {
                'flavourId': 'simple',
                'vimConnectionInfo': self.vim_connection_info(),
                'additionalParams': {
                    'lcm-kubernetes-def-files': [NS_FILE] + kb.V1_FILES,
                    'namespace': self.namespace}})
        self.assertEqual(422, answer.status_code, answer.text)
        self.assertEqual(422, answer.body['status'])
        self.assertIn(self.namespace, answer.body['detail'])
        self.assertIn(self.vnf_namespace, answer.body['detail'])
        self.assertFalse(self.namespace_exists())
        self.assertEqual([], self.deployments())
