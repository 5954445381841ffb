"""The Kubernetes sample's CoordinateVNF scripts against the simulator.

They run as Tacker runs them (the launcher, out of process) and reach the
API server over HTTPS with what ``vimConnectionInfo`` gives: the
cluster's CA, and a bearer token or a client certificate. A wrong CA is a
clear failure, and no credential is left on disk.
"""
import importlib.util
import os

from tacker.sol_refactored.common import coordinate
from tacker.tests import base
from tacker.tests.k8s_simulator import testcase
from tacker.tests import tls

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
PACKAGE = os.path.join(REPO, 'samples', 'vnf_packages', 'kubernetes', 'v2')
NEW = os.path.join(PACKAGE, 'Scripts', 'coordinate_new_vnf.py')
OLD = os.path.join(PACKAGE, 'Scripts', 'coordinate_old_vnf.py')
ACCESS = os.path.join(PACKAGE, 'Scripts', 'kubernetes_access.py')


class TestSampleScripts(testcase.SimulatorTestCase, base.TestCase):

    def setUp(self):
        super().setUp()
        for version in ('v1', 'v2'):
            labels = {'app': 'nginx', 'version': version}
            self.apps.create_namespaced_deployment(
                self.ns, testcase.deployment(
                    'nginx' if version == 'v1' else 'nginx-v2', 1,
                    labels=labels))
        self.core.create_namespaced_service(self.ns, {
            'metadata': {'name': 'nginx'},
            'spec': {'selector': {'app': 'nginx', 'version': 'v1'},
                     'ports': [{'port': 80}]}})

    def request(self, interface=None, access=None):
        vim = {'vimType': 'kubernetes',
               'interfaceInfo': interface or {
                   'endpoint': self.sim.base_url,
                   'ssl_ca_cert': self.sim.ca_pem},
               'accessInfo': access or {'bearer_token': self.sim.token}}
        old_pods = [p.metadata.name for p in self.pods('version=v1')]
        return {
            'action': 'coordinate', 'side': 'new',
            'vimConnectionInfo': {'vim1': vim},
            'vnfInstance': {'instantiatedVnfInfo': {'vnfcResourceInfo': [
                {'computeResource': {'resourceId': name}}
                for name in old_pods]}},
            'resources': {
                'namespace': self.ns,
                'newResources': [{'kind': 'Deployment', 'name': 'nginx-v2'},
                                 {'kind': 'Service', 'name': 'nginx'}],
                'oldResources': [{'kind': 'Deployment', 'name': 'nginx'},
                                 {'kind': 'Service', 'name': 'nginx'}]}}

    def selector(self):
        return self.core.read_namespaced_service('nginx',
                                                 self.ns).spec.selector

    def test_token_and_cluster_ca(self):
        result = coordinate.run(PACKAGE, NEW, 'CoordinateNewVnf',
                                self.request())
        self.assertEqual(['nginx'], result['services'])
        self.assertEqual('v2', self.selector()['version'])
        # The old VNF's script sees the Service drained of the old Pods.
        self.wait_for(lambda: self.pods('version=v1'), what='old Pods')
        result = coordinate.run(PACKAGE, OLD, 'CoordinateOldVnf',
                                self.request())
        self.assertTrue(result['drained'])

    def test_credentials_are_written_privately_and_removed(self):
        spec = importlib.util.spec_from_file_location(
            'kubernetes_access', ACCESS)
        access = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(access)
        cert, key = self.sim.client_certificate('coordinate-script')
        request = self.request(access={'client_cert': cert,
                                       'client_key': key})
        with access.api_client(request['vimConnectionInfo']) as api:
            conf = api.configuration
            paths = [conf.ssl_ca_cert, conf.cert_file, conf.key_file]
            for path in paths:
                self.assertEqual(0o600, os.stat(path).st_mode & 0o777)
            self.assertEqual(0o700, os.stat(os.path.dirname(
                paths[0])).st_mode & 0o777)
            with open(conf.ssl_ca_cert) as f:
                self.assertEqual(self.sim.ca_pem, f.read())
        for path in paths:
            self.assertFalse(os.path.exists(path))
        self.assertFalse(os.path.exists(os.path.dirname(paths[0])))

    def test_client_certificate(self):
        cert, key = self.sim.client_certificate('coordinate-script')
        result = coordinate.run(
            PACKAGE, NEW, 'CoordinateNewVnf',
            self.request(access={'client_cert': cert, 'client_key': key}))
        self.assertEqual(['nginx'], result['services'])
        self.assertEqual('v2', self.selector()['version'])

    def test_wrong_ca_fails_clearly_and_changes_nothing(self):
        other = tls.CertificateAuthority('not the cluster CA')
        exc = self.assertRaises(
            coordinate.CoordinateFailed, coordinate.run, PACKAGE, NEW,
            'CoordinateNewVnf', self.request(interface={
                'endpoint': self.sim.base_url,
                'ssl_ca_cert': other.ca_pem}))
        detail = str(exc)
        self.assertIn('coordinate_new_vnf.py', detail)
        self.assertIn('did not verify against '
                      'vimConnectionInfo.interfaceInfo.ssl_ca_cert', detail)
        self.assertIn(self.sim.base_url, detail)
        self.assertEqual('v1', self.selector()['version'])

    def test_no_ca_is_the_system_trust_store_which_refuses(self):
        exc = self.assertRaises(
            coordinate.CoordinateFailed, coordinate.run, PACKAGE, NEW,
            'CoordinateNewVnf', self.request(interface={
                'endpoint': self.sim.base_url}))
        self.assertIn('ssl_ca_cert', str(exc))
        self.assertEqual('v1', self.selector()['version'])

    def test_token_is_not_in_the_failure(self):
        exc = self.assertRaises(
            coordinate.CoordinateFailed, coordinate.run, PACKAGE, NEW,
            'CoordinateNewVnf', self.request(access={
                'bearer_token': 'not-' + self.sim.token}))
        self.assertIn('401', str(exc))
        self.assertNotIn(self.sim.token, str(exc))
        self.assertEqual('v1', self.selector()['version'])
