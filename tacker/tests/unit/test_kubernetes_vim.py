"""The Kubernetes driver's connection: the cluster's CA, a bearer token or
a client certificate, against the simulator over HTTPS."""
import os

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.tests import base
from tacker.tests.k8s_simulator import testcase
from tacker.tests import tls


class TestKubernetesVim(testcase.SimulatorTestCase, base.TestCase):

    def vim_info(self, **access):
        info = self.sim.vim_info()
        if access:
            info['accessInfo'] = access
        return info

    def namespaces(self, info):
        with k8s_vim.KubernetesVim(info) as vim:
            files = list(vim._files)
            for path in files:
                self.assertEqual(0o600, os.stat(path).st_mode & 0o777)
            listing = vim.call('list namespaces', 'GET',
                               '/api/v1/namespaces')
        for path in files:
            self.assertFalse(os.path.exists(path))
        return [n['metadata']['name'] for n in listing['items']]

    def test_bearer_token_and_cluster_ca(self):
        self.assertIn('default', self.namespaces(self.vim_info()))

    def test_client_certificate(self):
        cert, key = self.sim.client_certificate('tacker-conductor')
        self.assertIn('default', self.namespaces(self.vim_info(
            client_cert=cert, client_key=key)))

    def test_half_a_client_certificate_is_422(self):
        cert, _key = self.sim.client_certificate()
        exc = self.assertRaises(sol_ex.UnprocessableEntity,
                                k8s_vim.KubernetesVim,
                                self.vim_info(client_cert=cert))
        self.assertIn('client_key', str(exc))

    def test_wrong_ca_is_a_vim_error(self):
        info = self.vim_info()
        info['interfaceInfo']['ssl_ca_cert'] = tls.CertificateAuthority(
            'other').ca_pem
        exc = self.assertRaises(k8s_vim.VimError, self.namespaces, info)
        self.assertIn(self.sim.base_url, str(exc))
        self.assertIn('did not verify against '
                      'vimConnectionInfo.interfaceInfo.ssl_ca_cert', str(exc))
