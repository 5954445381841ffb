"""TLS of the test tools: the simulator and the fault proxy are verified
with CAs of their own, as a real Kubernetes API server is.

Kubernetes documents the behaviour reproduced here:

- "Controlling Access to the Kubernetes API", section "Transport
  security" (https://kubernetes.io/docs/concepts/security/
  controlling-access/#transport-security): the API serves HTTPS, its
  certificate is usually signed by the cluster's private CA, and clients
  are given that CA (a kubeconfig's certificate-authority-data).
- "Authenticating", section "X509 client certificates"
  (https://kubernetes.io/docs/reference/access-authn-authz/
  authentication/#x509-client-certificates): a client certificate signed
  by the CA the API server trusts authenticates its CN as the user name
  and its O fields as groups; a request with neither a valid
  certificate nor a valid token is 401.
"""
import os
import shutil
import ssl
import tempfile

from kubernetes import client
import requests
import testtools
import urllib3

from tacker.tests import fault_proxy
from tacker.tests.k8s_simulator import fixture
from tacker.tests import tls


def _files(test, **pems):
    """PEM texts written to files of a private directory: {name: path}."""
    directory = tempfile.mkdtemp()
    test.addCleanup(shutil.rmtree, directory)
    paths = {}
    for name, text in pems.items():
        paths[name] = os.path.join(directory, name + '.pem')
        with open(paths[name], 'w') as f:
            f.write(text)
    return paths


def _verify_failed(test, call, *args):
    """call(*args) fails certificate verification; the error's text.

    The kubernetes client turns urllib3's SSLError into an ApiException
    with status 0 (newer releases) or lets MaxRetryError through.
    """
    exc = test.assertRaises(
        (client.ApiException, urllib3.exceptions.MaxRetryError), call,
        *args)
    text = str(getattr(exc, 'reason', exc))
    test.assertIn('CERTIFICATE_VERIFY_FAILED', text)
    return text


def _core(host, ca_file=None, token=None, cert=None, key=None):
    conf = client.Configuration()
    conf.host = host
    conf.retries = False
    if ca_file:
        conf.ssl_ca_cert = ca_file
    if token:
        conf.api_key = {'authorization': 'Bearer ' + token}
    if cert:
        conf.cert_file, conf.key_file = cert, key
    api_client = client.ApiClient(conf)
    return client.CoreV1Api(api_client), api_client


class TestCertificateAuthority(testtools.TestCase):

    def test_server_certificate_verifies_for_its_hosts_only(self):
        ca = tls.CertificateAuthority('unit CA')
        cert, _key = ca.issue('127.0.0.1', ['127.0.0.1', 'localhost'])
        from cryptography import x509
        parsed = x509.load_pem_x509_certificate(cert.encode())
        san = parsed.extensions.get_extension_for_class(
            x509.SubjectAlternativeName).value
        self.assertEqual(['localhost'], san.get_values_for_type(
            x509.DNSName))
        self.assertEqual('127.0.0.1', str(san.get_values_for_type(
            x509.IPAddress)[0]))
        self.assertIn('BEGIN CERTIFICATE', ca.ca_pem)
        self.assertNotIn('PRIVATE', ca.ca_pem)


class TestSimulatorTLS(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.fx = self.useFixture(fixture.SimulatorFixture())

    def _list(self, **kwargs):
        core, api_client = _core(self.fx.base_url, **kwargs)
        with api_client:
            return [n.metadata.name for n in core.list_namespace().items]

    def test_https_with_the_cluster_ca(self):
        self.assertTrue(self.fx.base_url.startswith('https://127.0.0.1:'))
        self.assertIn('default', self._list(ca_file=self.fx.ca_file,
                                            token=self.fx.token))

    def test_a_client_without_the_ca_is_refused_by_verification(self):
        # The system's trust store does not know a cluster's own CA.
        _verify_failed(self, lambda: self._list(token=self.fx.token))

    def test_a_client_with_another_ca_is_refused_by_verification(self):
        other = _files(self, ca=tls.CertificateAuthority('other').ca_pem)
        _verify_failed(self, lambda: self._list(ca_file=other['ca'],
                                                token=self.fx.token))

    def test_client_certificate_of_the_cluster_ca_authenticates(self):
        cert, key = self.fx.sim.client_certificate('tacker')
        files = _files(self, cert=cert, key=key)
        self.assertIn('default', self._list(
            ca_file=self.fx.ca_file, cert=files['cert'], key=files['key']))

    def test_no_token_and_no_certificate_is_401(self):
        exc = self.assertRaises(client.ApiException, self._list,
                                ca_file=self.fx.ca_file)
        self.assertEqual(401, exc.status)

    def test_client_certificate_of_another_ca_is_refused(self):
        cert, key = tls.CertificateAuthority('other').issue(
            'intruder', client=True, organization='system:masters')
        files = _files(self, cert=cert, key=key)
        # The server does not accept the handshake: the connection ends.
        self.assertRaises(
            (client.ApiException, urllib3.exceptions.MaxRetryError,
             urllib3.exceptions.ProtocolError, ssl.SSLError, OSError),
            self._list, ca_file=self.fx.ca_file, cert=files['cert'],
            key=files['key'])


class TestFaultProxyTLS(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.fx = self.useFixture(fixture.SimulatorFixture())

    def test_both_sides_verified(self):
        proxy = self.useFixture(fault_proxy.FaultProxyFixture(
            self.fx.base_url, ca_file=self.fx.ca_file, tls=True)).proxy
        self.assertTrue(proxy.base_url.startswith('https://'))
        files = _files(self, proxy_ca=proxy.ca_pem)
        core, api_client = _core(proxy.base_url, ca_file=files['proxy_ca'],
                                 token=self.fx.token)
        with api_client:
            names = [n.metadata.name for n in core.list_namespace().items]
        self.assertIn('default', names)
        # The simulator's CA does not vouch for the proxy.
        core, api_client = _core(proxy.base_url, ca_file=self.fx.ca_file,
                                 token=self.fx.token)
        with api_client:
            _verify_failed(self, core.list_namespace)
        # The control API is served on the same verified HTTPS side.
        control = fault_proxy.ControlClient(proxy.base_url,
                                            ca_file=files['proxy_ca'])
        self.addCleanup(control.close)
        self.assertEqual([], control.rules())

    def test_upstream_with_a_ca_the_proxy_does_not_trust_is_502(self):
        other = _files(self, ca=tls.CertificateAuthority('other').ca_pem)
        proxy = self.useFixture(fault_proxy.FaultProxyFixture(
            self.fx.base_url, ca_file=other['ca'], tls=True)).proxy
        files = _files(self, proxy_ca=proxy.ca_pem)
        response = requests.get(proxy.base_url + '/api/v1/namespaces',
                                verify=files['proxy_ca'], timeout=10)
        self.assertEqual(502, response.status_code)
        self.assertIn('CERTIFICATE_VERIFY_FAILED', response.text)
