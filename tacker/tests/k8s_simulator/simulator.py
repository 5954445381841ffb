"""The simulator as one object: store, API, controllers and HTTPS server.

It serves HTTPS by default, as every real API server does, with a
certificate of a CA it makes at start (``ca_pem``, ``ca_file``): clients
verify it exactly as they would a cluster's own CA. Clients authenticate
with the bearer token or a client certificate of that CA
(``client_certificate()``). ``tls=False`` serves plain HTTP, for tests of
the wire protocol only.
"""
import secrets
import shutil
import tempfile
import threading

from tacker.tests.k8s_simulator import admission
from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import controllers
from tacker.tests.k8s_simulator import handlers
from tacker.tests.k8s_simulator import kubelet
from tacker.tests.k8s_simulator import server
from tacker.tests.k8s_simulator import services
from tacker.tests.k8s_simulator import store as store_mod
from tacker.tests import tls as tls_mod

SYSTEM_NAMESPACES = ('default', 'kube-system', 'kube-public',
                     'kube-node-lease')


class Simulator:
    """A Kubernetes API server look-alike on ``host:port`` (0: any port).

    ``pod_ready_delay``: seconds from a Pod's scheduling to Running and
    Ready; ``pod_terminate_delay``: seconds a deleted Pod stays
    terminating; ``history``: watch events kept (older ones answer 410);
    ``tls``: serve HTTPS with a CA of its own (the default).
    """

    def __init__(self, host='127.0.0.1', port=0, token=None,
                 pod_ready_delay=0.2, pod_terminate_delay=0.2,
                 history=1000, verbose=False, tls=True):
        self.token = token or secrets.token_urlsafe(24)
        self.ca = None
        self.ca_file = None
        self._dir = None
        if tls:
            self.ca = tls_mod.CertificateAuthority('k8s-simulator CA')
            self._dir = tempfile.mkdtemp(prefix='k8s-simulator-')
            self.ca_file = self.ca.write_ca(self._dir)
        self.verbose = verbose
        self.store = store_mod.Store(history=history)
        self.ips = services.ClusterIPs(self.store)
        self.api = handlers.Api(self.store,
                                admission.Admission(self.ips.allocate))
        self.controllers = controllers.ControllerManager(
            self.store, self.api, pod_ready_delay, pod_terminate_delay,
            # Every namespace's kube-root-ca.crt holds the cluster's CA.
            root_ca_pem=self.ca_pem)
        self.requests = []
        self._requests_lock = threading.Lock()
        handler = type('BoundHandler', (server.Handler,), {'sim': self})
        self.httpd = server.Server((host, port), handler)
        if tls:
            self.httpd.ssl_context = self.ca.server_context(
                [host, 'localhost', '127.0.0.1'], client_certificates=True)
        self._thread = None
        for name in SYSTEM_NAMESPACES:
            self.api.create(ar.NAMESPACES, None,
                            {'metadata': {'name': name}})

    @property
    def server_address(self):
        host, port = self.httpd.server_address[:2]
        return '%s:%d' % (host, port)

    @property
    def base_url(self):
        scheme = 'https' if self.ca is not None else 'http'
        return '%s://%s' % (scheme, self.server_address)

    @property
    def ca_pem(self):
        """The cluster's CA certificate (what ``ssl_ca_cert`` holds)."""
        return self.ca.ca_pem if self.ca is not None else None

    def vim_info(self, vim_id='k8s-simulator'):
        """A vimConnectionInfo entry for this simulator (token and CA)."""
        interface = {'endpoint': self.base_url}
        if self.ca is not None:
            interface['ssl_ca_cert'] = self.ca_pem
        return {'vimId': vim_id, 'vimType': 'kubernetes',
                'interfaceInfo': interface,
                'accessInfo': {'bearer_token': self.token}}

    def client_certificate(self, user='tacker', group='system:masters'):
        """(certificate PEM, key PEM) the API server accepts for ``user``."""
        return self.ca.issue(user, client=True, organization=group)

    def start(self):
        self.controllers.start()
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name='k8s-simulator-http',
            kwargs={'poll_interval': 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.store.close()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.controllers.join(5)
        if self._thread:
            self._thread.join(5)
        self._cleanup()

    def _cleanup(self):
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def serve_forever(self):
        """Run in the calling thread until ``stop`` (e.g. on SIGTERM)."""
        self.controllers.start()
        try:
            self.httpd.serve_forever(poll_interval=0.1)
        finally:
            self.store.close()
            self.httpd.server_close()
            self._cleanup()

    # -- for tests -------------------------------------------------------

    def configuration(self):
        """A kubernetes.client.Configuration for this simulator."""
        from kubernetes import client
        conf = client.Configuration()
        conf.host = self.base_url
        conf.api_key = {'authorization': self.token}
        conf.api_key_prefix = {'authorization': 'Bearer'}
        if self.ca_file:
            conf.ssl_ca_cert = self.ca_file
        return conf

    def api_client(self):
        from kubernetes import client
        return client.ApiClient(self.configuration())

    def set_image_behaviour(self, pattern, behaviour):
        """Choose how Pods with an image containing ``pattern`` behave.

        ``'ready'``, ``'never-ready'`` or ``'crash'``; applies to Pods
        started from now on.
        """
        if behaviour not in (kubelet.READY, kubelet.NEVER_READY,
                             kubelet.CRASH):
            raise ValueError('unknown behaviour %r' % behaviour)
        with self.store.lock:
            self.controllers.kubelet.rules.insert(0, (pattern, behaviour))

    def compact(self):
        """Forget the watch history: older resourceVersions answer 410."""
        self.store.compact()

    def count_request(self, method, path):
        with self._requests_lock:
            self.requests.append((method, path))
