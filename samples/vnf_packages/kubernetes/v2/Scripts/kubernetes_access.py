"""The cluster as the CoordinateVNF scripts of this package reach it.

Tacker gives a script the VNF's ``vimConnectionInfo``: the API server's
``interfaceInfo.endpoint`` and, for a cluster with a CA of its own,
``interfaceInfo.ssl_ca_cert`` (PEM); ``accessInfo.bearer_token``, or
``accessInfo.client_cert`` and ``client_key`` (PEM) for a client
certificate. Every one of them is used: the PEM texts are written to
files in a directory only this process's user can read, removed when the
client is closed. Certificate verification is never turned off; without
``ssl_ca_cert`` the system's trusted CAs apply, as for any HTTPS site.
"""
import contextlib
import os
import shutil
import tempfile

import kubernetes

CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30
TIMEOUT = (CONNECT_TIMEOUT, READ_TIMEOUT)


def _write_private(directory, name, text):
    path = os.path.join(directory, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
    return path


@contextlib.contextmanager
def api_client(vim_connection_info):
    """A kubernetes ApiClient for the VNF's (single) VIM."""
    if not vim_connection_info:
        raise RuntimeError('the request holds no vimConnectionInfo')
    vim = next(iter(vim_connection_info.values()))
    interface = vim.get('interfaceInfo') or {}
    access = vim.get('accessInfo') or {}
    if not interface.get('endpoint'):
        raise RuntimeError('vimConnectionInfo has no interfaceInfo.endpoint')
    conf = kubernetes.client.Configuration()
    conf.host = interface['endpoint'].rstrip('/')
    conf.retries = False
    conf.verify_ssl = True
    private = tempfile.mkdtemp(prefix='coordinate-k8s-')
    try:
        if interface.get('ssl_ca_cert'):
            conf.ssl_ca_cert = _write_private(private, 'ca.pem',
                                              interface['ssl_ca_cert'])
        if access.get('bearer_token'):
            conf.api_key = {'authorization':
                            'Bearer ' + access['bearer_token']}
        if access.get('client_cert') and access.get('client_key'):
            conf.cert_file = _write_private(private, 'client.pem',
                                            access['client_cert'])
            conf.key_file = _write_private(private, 'client.key',
                                           access['client_key'])
        client = kubernetes.client.ApiClient(conf)
        try:
            yield client
        except Exception as exc:
            if 'CERTIFICATE_VERIFY_FAILED' not in str(exc):
                raise
            raise RuntimeError(_untrusted(exc, conf.host)) from None
        finally:
            client.close()
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _untrusted(exc, endpoint):
    """What to do about a certificate that did not verify."""
    detail = str(exc).split('certificate verify failed:', 1)[-1]
    detail = detail.split('(_ssl.c', 1)[0].strip(' :')
    return ('the certificate of the Kubernetes API at %s did not verify '
            'against vimConnectionInfo.interfaceInfo.ssl_ca_cert (or, '
            'without one, the CAs this host trusts): %s; give the '
            "cluster's CA certificate in ssl_ca_cert"
            % (endpoint, detail or 'CERTIFICATE_VERIFY_FAILED'))
