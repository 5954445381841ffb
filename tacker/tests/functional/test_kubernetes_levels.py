"""Instantiation levels on the Kubernetes VIM: the level decides how many
Pods (VNFCs) the VDU's Deployment runs."""
import os

from tacker.tests.functional import kubernetes_base as kb

LEVELS = """
  policies:
    - instantiation_levels:
        type: tosca.policies.nfv.InstantiationLevels
        properties:
          levels:
            small: {description: one Pod}
            large: {description: three Pods}
          default_level: small
    - vdu1_instantiation_levels:
        type: tosca.policies.nfv.VduInstantiationLevels
        properties:
          levels:
            small: {number_of_instances: 1}
            large: {number_of_instances: 3}
        targets: [ VDU1 ]
"""


def _with_levels(src):
    path = os.path.join(src, 'Definitions', 'nginx_df_simple.yaml')
    with open(path, 'a') as f:
        f.write(LEVELS)


class TestInstantiationLevels(kb.KubernetesTestCase):

    def start(self, pkg, level=None):
        inst = self.client.request('POST', '/vnflcm/v2/vnf_instances', {
            'vnfdId': pkg['vnfdId'], 'vnfInstanceName': 'nginx'}).body
        body = {'flavourId': 'simple',
                'vimConnectionInfo': self.vim_connection_info(),
                'additionalParams': self.instantiate_params(None)}
        if level:
            body['instantiationLevelId'] = level
        return inst, self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' % inst['id'],
            body)

    def vnfcs(self, inst_id):
        return sorted(v['computeResource']['resourceId'] for v in self.show(
            inst_id)['instantiatedVnfInfo']['vnfcResourceInfo'])

    def test_level_decides_the_replicas(self):
        pkg = self.onboard_sample('v1', edit=_with_levels)
        inst, resp = self.start(pkg, 'large')
        self.assertEqual(202, resp.status_code, resp.text)
        self.client.wait_op(resp.headers['Location'].rsplit('/', 1)[1],
                            ['COMPLETED'])
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual(3, dep.spec.replicas)
        pods = self.ready_pods('nginx')
        self.assertEqual(3, len(pods))
        self.assertEqual(pods, self.vnfcs(inst['id']))

    def test_default_level_without_one_asked(self):
        pkg = self.onboard_sample('v1', edit=_with_levels)
        inst, resp = self.start(pkg)
        self.assertEqual(202, resp.status_code, resp.text)
        self.client.wait_op(resp.headers['Location'].rsplit('/', 1)[1],
                            ['COMPLETED'])
        # The manifest says 2; the VNFD's default level says 1.
        self.assertEqual(1, self.apps.read_namespaced_deployment(
            'nginx', self.namespace).spec.replicas)
        self.assertEqual(1, len(self.vnfcs(inst['id'])))

    def test_unknown_level_is_422(self):
        pkg = self.onboard_sample('v1', edit=_with_levels)
        inst, resp = self.start(pkg, 'huge')
        self.assertEqual(422, resp.status_code, resp.text)
        self.assertIn('huge is not a level of flavour simple',
                      resp.body['detail'])
        self.assertFalse(self.exists('Deployment', 'nginx'))
