"""The Kubernetes API as the driver uses it.

The official client with dict bodies, a timeout on every call, and errors
turned into ProblemDetails.
"""
import json
import os
import tempfile

import kubernetes
from kubernetes.client import exceptions as k8s_exc
from oslo_config import cfg
import urllib3

from tacker.sol_refactored.common import exceptions as sol_ex

CONF = cfg.CONF

opts = [
    cfg.FloatOpt('connect_timeout', default=10.0, min=0.1,
                 help='Seconds to connect to a Kubernetes API server.'),
    cfg.FloatOpt('read_timeout', default=60.0, min=0.1,
                 help='Seconds to wait for an answer of the Kubernetes API '
                      'server to one call.'),
    cfg.FloatOpt('rollout_timeout', default=600.0, min=1,
                 help='Seconds a Deployment may take to roll out (all its '
                      'Pods updated and Ready) before the step fails.'),
    cfg.FloatOpt('delete_timeout', default=300.0, min=1,
                 help='Seconds the objects of a VNF may take to disappear '
                      'after they were deleted.'),
    cfg.FloatOpt('fail_reread_timeout', default=30.0, min=0.1,
                 help='Seconds the API may spend, when a change_vnfpkg is '
                      'given up with fail, reading again the Pods the VNF '
                      'runs now; past that the record names the objects '
                      'the change applied, with a note in its metadata.'),
]
CONF.register_opts(opts, 'kubernetes_vim')


def list_opts():
    return [('kubernetes_vim', opts)]


class VimError(sol_ex.SolException):
    status = 502
    title = 'VIM Error'


def _timeout():
    return (CONF.kubernetes_vim.connect_timeout,
            CONF.kubernetes_vim.read_timeout)


class KubernetesVim:
    """One Kubernetes API server, reached with a vimConnectionInfo.

    ``interfaceInfo``: ``endpoint`` and, for a cluster with a CA of its
    own, ``ssl_ca_cert`` (PEM text). ``accessInfo``: ``bearer_token``, or
    ``client_cert`` and ``client_key`` (PEM texts) for a client
    certificate. PEM texts are written to files only the conductor's user
    can read, removed when the connection is closed.
    """

    def __init__(self, vim_info):
        interface = vim_info.get('interfaceInfo') or {}
        access = vim_info.get('accessInfo') or {}
        endpoint = interface.get('endpoint')
        if not endpoint:
            raise sol_ex.UnprocessableEntity(
                'vimConnectionInfo.interfaceInfo.endpoint of the Kubernetes '
                'VIM is missing.')
        if bool(access.get('client_cert')) != bool(access.get('client_key')):
            raise sol_ex.UnprocessableEntity(
                'vimConnectionInfo.accessInfo of the Kubernetes VIM has '
                'only one of client_cert and client_key; a client '
                'certificate needs both.')
        conf = kubernetes.client.Configuration()
        conf.host = endpoint.rstrip('/')
        token = access.get('bearer_token')
        if token:
            conf.api_key = {'authorization': 'Bearer ' + token}
        self._files = []
        ca = interface.get('ssl_ca_cert')
        if ca:
            conf.ssl_ca_cert = self._private_file('ca', ca)
            conf.verify_ssl = True
        elif conf.host.startswith('https'):
            conf.verify_ssl = bool(interface.get('verify', True))
        if access.get('client_cert'):
            conf.cert_file = self._private_file('cert',
                                                access['client_cert'])
            conf.key_file = self._private_file('key', access['client_key'])
        conf.retries = False
        self.client = kubernetes.client.ApiClient(conf)
        self.endpoint = conf.host

    def _private_file(self, what, text):
        fd, path = tempfile.mkstemp(prefix='tacker-k8s-%s-' % what)
        self._files.append(path)
        with os.fdopen(fd, 'w') as f:
            f.write(text)
        return path

    def close(self):
        self.client.close()
        for path in self._files:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        self._files = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _request(self, method, path, query=None, body=None,
                 content_type='application/json', timeout=None):
        headers = {'Accept': 'application/json'}
        if body is not None:
            headers['Content-Type'] = content_type
        method, url, headers, body, post = self.client.param_serialize(
            method, path, query_params=list((query or {}).items()),
            header_params=headers, body=body, auth_settings=['BearerToken'])
        return self.client.call_api(method, url, headers, body, post,
                                    _request_timeout=timeout or _timeout())

    def call(self, what, method, path, body=None, query=None,
             content_type='application/json', timeout=None):
        """One API call; the parsed JSON answer, or a VimError."""
        try:
            resp = self._request(method, path, query, body, content_type,
                                 timeout)
            data = resp.read()
        except (urllib3.exceptions.HTTPError, OSError,
                k8s_exc.ApiException) as e:
            raise self._unreachable(what, e) from e
        if not 200 <= resp.status < 300:
            raise self._error(what, k8s_exc.ApiException(http_resp=resp))
        return json.loads(data) if data else {}

    def _unreachable(self, what, e):
        if 'CERTIFICATE_VERIFY_FAILED' in str(e):
            return VimError(
                '%s: the certificate of the Kubernetes API at %s did not '
                'verify against vimConnectionInfo.interfaceInfo.ssl_ca_cert '
                '(or, without one, the CAs of the conductor host); give the '
                "cluster's CA certificate in ssl_ca_cert." % (
                    what, self.endpoint))
        return VimError('%s: the Kubernetes API at %s did not answer in '
                        'time or refused the connection (%s).' % (
                            what, self.endpoint, type(e).__name__))

    def _error(self, what, e):
        message = e.reason
        try:
            message = json.loads(e.body).get('message') or message
        except (TypeError, ValueError):
            pass
        error = VimError('%s: the Kubernetes API answered %s: %s' % (
            what, e.status, message))
        error.http_status = e.status
        return error

    def stream(self, path, query, timeout):
        """Raw streaming GET (watch); the urllib3 response to read lines."""
        what = 'watch %s' % path
        try:
            resp = self._request('GET', path, query, timeout=(
                CONF.kubernetes_vim.connect_timeout, timeout))
        except (urllib3.exceptions.HTTPError, OSError,
                k8s_exc.ApiException) as e:
            raise self._unreachable(what, e) from e
        if not 200 <= resp.status < 300:
            resp.read()
            raise self._error(what, k8s_exc.ApiException(http_resp=resp))
        return resp.response


def is_status(error, code):
    return getattr(error, 'http_status', None) == code
