"""The OpenStack VIM as the driver reaches it.

One keystoneauth1 session per vimConnectionInfo (Keystone v3 password),
with a connect and a read timeout on every call, Heat through the real
python-heatclient on that session, and Nova, Neutron, Cinder and Glance
through plain REST on the same session's catalogue. Every failure of the VIM
becomes a VimError whose detail says what was asked and what the VIM
answered; the credentials are never part of it.

Endpoints come from the Keystone catalogue (public interface, region
``accessInfo.region``). A service may be reached elsewhere instead, for
example through a proxy or a private address, with
``interfaceInfo.endpointOverrides`` in the vimConnectionInfo: a dict
from service type (``orchestration``, ``compute``, ``network``,
``block-storage``, ``image``) to a base URL. keystoneauth1 fills
``%(project_id)s`` in it, as Heat's URL needs::

    "interfaceInfo": {
        "endpoint": "https://keystone.example:5000/v3",
        "endpointOverrides": {
            "orchestration": "http://10.0.0.5:8004/v1/%(project_id)s"}}

A service type not named there is still taken from the catalogue.
"""
import contextlib
import os
import tempfile

from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from oslo_config import cfg

from tacker.sol_refactored.common import exceptions as sol_ex

CONF = cfg.CONF

opts = [
    cfg.FloatOpt('connect_timeout', default=10.0, min=0.1,
                 help='Seconds to connect to an OpenStack API (Keystone, '
                      'Heat, Nova, Neutron, Cinder).'),
    cfg.FloatOpt('read_timeout', default=60.0, min=0.1,
                 help='Seconds to wait for the answer of an OpenStack API '
                      'to one call.'),
    cfg.FloatOpt('stack_create_timeout', default=900.0, min=1,
                 help='Seconds a Heat stack may take to reach '
                      'CREATE_COMPLETE before the step fails.'),
    cfg.FloatOpt('stack_update_timeout', default=900.0, min=1,
                 help='Seconds a Heat stack update may take to reach '
                      'UPDATE_COMPLETE before the step fails.'),
    cfg.FloatOpt('stack_delete_timeout', default=600.0, min=1,
                 help='Seconds a Heat stack may take to disappear after '
                      'it was deleted.'),
    cfg.FloatOpt('image_upload_timeout', default=1800.0, min=1,
                 help='Seconds the upload of one software image of a VNF '
                      'package to Glance may take: the longest wait for '
                      'Glance\'s answer to the data, and then for the '
                      'image to become active.'),
    cfg.FloatOpt('poll_initial_interval', default=0.5, min=0.05,
                 help='First pause between two reads of a stack\'s status '
                      '(Heat offers no watch); it grows by half each time.'),
    cfg.FloatOpt('poll_max_interval', default=5.0, min=0.1,
                 help='Longest pause between two reads of a stack\'s '
                      'status.'),
    cfg.FloatOpt('fail_reread_timeout', default=30.0, min=0.1,
                 help='Seconds the API may spend, when a change_vnfpkg is '
                      'given up with fail, re-reading from the VIM what '
                      'the VNF runs now; past that the former record is '
                      'kept, with a note in its metadata.'),
]
CONF.register_opts(opts, 'openstack_vim')


def list_opts():
    return [('openstack_vim', opts)]


class VimError(sol_ex.SolException):
    status = 502
    title = 'VIM Error'


class VimTimeout(VimError):
    status = 504
    title = 'Gateway Timeout'


def _timeout():
    return (CONF.openstack_vim.connect_timeout,
            CONF.openstack_vim.read_timeout)


def _heat_message(e):
    message = (getattr(e, 'error', None) or {}).get('error', {}).get(
        'message')
    return message or str(e)


@contextlib.contextmanager
def guard(what, endpoint=None):
    """Turn what the clients raise into a VimError about ``what``."""
    try:
        yield
    except sol_ex.SolException:
        raise
    except heat_exc.HTTPException as e:
        error = VimError('%s: Heat answered %s: %s' % (
            what, e.code, _heat_message(e)))
        error.http_status = e.code
        raise error from None
    except ks_exc.HttpError as e:
        error = VimError('%s: the VIM answered %s: %s' % (
            what, e.http_status, e.message))
        error.http_status = e.http_status
        raise error from None
    except ks_exc.ConnectTimeout as e:
        # keystoneauth1 raises ConnectTimeout for a read timeout too.
        raise VimTimeout('%s: the VIM at %s did not answer in time (%s: '
                         'connect timeout %ss, read timeout %ss).' % (
                             what, endpoint or 'its endpoint',
                             type(e).__name__, *_timeout())) from None
    except (ks_exc.ConnectFailure,
            ks_exc.RetriableConnectionFailure) as e:
        raise VimError('%s: the VIM at %s could not be reached (%s).' % (
            what, endpoint or 'its endpoint', type(e).__name__)) from None
    except ks_exc.ClientException as e:
        # EndpointNotFound, DiscoveryFailure, a read timeout ...
        raise VimError('%s: %s: %s' % (what, type(e).__name__,
                                       e.message or 'no detail')) from None


def is_not_found(error):
    return getattr(error, 'http_status', None) == 404


class OpenStackVim:
    """One OpenStack cloud, reached with a vimConnectionInfo dict."""

    def __init__(self, vim_info):
        interface = vim_info.get('interfaceInfo') or {}
        access = vim_info.get('accessInfo') or {}
        self.endpoint = interface.get('endpoint')
        missing = [k for k in ('username', 'password', 'project')
                   if not access.get(k)]
        if not self.endpoint or missing:
            raise sol_ex.UnprocessableEntity(
                'vimConnectionInfo of the OpenStack VIM lacks %s.' % ', '.join(
                    (['interfaceInfo.endpoint'] if not self.endpoint else []) +
                    ['accessInfo.' + k for k in missing]))
        self.region = access.get('region')
        self.overrides = _overrides(interface)
        auth = v3.Password(
            auth_url=self.endpoint, username=access['username'],
            password=access['password'], project_name=access['project'],
            user_domain_name=access.get('userDomain', 'Default'),
            project_domain_name=access.get('projectDomain', 'Default'))
        self._ca_file = None
        verify = True
        ca = interface.get('ssl_ca_cert') or interface.get('cacert')
        if ca:
            fd, self._ca_file = tempfile.mkstemp(prefix='tacker-os-ca-')
            with os.fdopen(fd, 'w') as f:
                f.write(ca)
            verify = self._ca_file
        self.session = ks_session.Session(auth=auth, verify=verify)
        # Session(timeout=) takes one number; requests, which it hands
        # the value to, also takes the (connect, read) pair we want.
        self.session.timeout = _timeout()
        self.heat = heat_client.Client(
            '1', session=self.session, region_name=self.region,
            service_type='orchestration', interface='public',
            endpoint_override=self.overrides.get('orchestration'))

    def close(self):
        if self._ca_file:
            os.unlink(self._ca_file)
            self._ca_file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def rest(self, what, service_type, method, path, body=None):
        """One REST call to Nova, Neutron, Cinder ...; the parsed answer."""
        kwargs = {'endpoint_filter': {'service_type': service_type,
                                      'interface': 'public',
                                      'region_name': self.region},
                  'raise_exc': False}
        if self.overrides.get(service_type):
            kwargs['endpoint_override'] = self.overrides[service_type]
        if body is not None:
            kwargs['json'] = body
        with guard(what, self.endpoint):
            resp = self.session.request(path, method, **kwargs)
        if resp.status_code >= 400:
            error = VimError('%s: %s answered %s: %s' % (
                what, service_type, resp.status_code, _rest_message(resp)))
            error.http_status = resp.status_code
            raise error
        return resp.json() if resp.content else {}

    def get(self, what, service_type, path):
        return self.rest(what, service_type, 'GET', path)

    def put_data(self, what, service_type, path, stream, read_timeout):
        """PUT ``stream`` (a file) as application/octet-stream.

        requests sends a file in blocks as it reads it; ``read_timeout``
        bounds the wait for the answer, which may come only once the
        service has stored all of it.
        """
        kwargs = {'endpoint_filter': {'service_type': service_type,
                                      'interface': 'public',
                                      'region_name': self.region},
                  'raise_exc': False, 'data': stream,
                  'headers': {'Content-Type': 'application/octet-stream'},
                  'timeout': (CONF.openstack_vim.connect_timeout,
                              read_timeout),
                  # The body must not be read a second time by a retry.
                  'connect_retries': 0}
        if self.overrides.get(service_type):
            kwargs['endpoint_override'] = self.overrides[service_type]
        with guard(what, self.endpoint):
            resp = self.session.request(path, 'PUT', **kwargs)
        if resp.status_code >= 400:
            error = VimError('%s: %s answered %s: %s' % (
                what, service_type, resp.status_code, _rest_message(resp)))
            error.http_status = resp.status_code
            raise error


def _overrides(interface):
    given = interface.get('endpointOverrides') or {}
    if not isinstance(given, dict) or not all(
            isinstance(v, str) and v.startswith(('http://', 'https://'))
            for v in given.values()):
        raise sol_ex.UnprocessableEntity(
            'vimConnectionInfo.interfaceInfo.endpointOverrides must map '
            'service types to http(s) URLs.')
    return {k: v.rstrip('/') for k, v in given.items()}


def _rest_message(resp):
    try:
        data = resp.json()
    except ValueError:
        return resp.text[:200]
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, dict) and value.get('message'):
                return value['message']
        if data.get('message'):
            return data['message']
        if data.get('NeutronError'):
            return data['NeutronError'].get('message')
    return str(data)[:200]
