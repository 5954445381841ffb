"""The VIMs of the demo: the test VIMs, or real ones named by environment.

``TACKER_DEMO_KUBERNETES_VIM`` / ``TACKER_DEMO_OPENSTACK_VIM`` hold a
vimConnectionInfo entry as JSON, or the path of a file holding it; the
test VIM of that type is then not started. Otherwise the Kubernetes API
simulator runs as a child process and the OpenStack test cloud is brought
up in a directory of the run (its services' venv is installed on first use
and reused afterwards) and down again at the end.
"""
import json
import os
import shutil
import sys
import urllib.parse

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

KUBERNETES = 'kubernetes'
OPENSTACK = 'openstack'
ALL = (KUBERNETES, OPENSTACK)
ENV = {KUBERNETES: 'TACKER_DEMO_KUBERNETES_VIM',
       OPENSTACK: 'TACKER_DEMO_OPENSTACK_VIM'}
NAMESPACE_ENV = 'TACKER_DEMO_KUBERNETES_NAMESPACE'
NETWORK_ENV = 'TACKER_DEMO_OPENSTACK_NETWORK'
SIMULATOR_TIMEOUT = 60
HTTP_TIMEOUT = 30


class VimError(RuntimeError):
    pass


class Vim:
    """What the flows need of one VIM."""

    def __init__(self, vim_type, label, connection_info, given):
        self.vim_type = vim_type
        self.label = label
        self.connection_info = connection_info
        self.given = given
        # Kubernetes: the namespace; OpenStack: the external network id.
        self.namespace = None
        self.network_id = None


def given_connection_info(vim_type, environ=None):
    """The vimConnectionInfo entry named by the environment, or None."""
    environ = os.environ if environ is None else environ
    name = ENV[vim_type]
    value = (environ.get(name) or '').strip()
    if not value:
        return None
    try:
        if not value.startswith('{'):
            with open(os.path.expanduser(value)) as f:
                value = f.read()
        info = json.loads(value)
    except (OSError, ValueError) as exc:
        raise VimError('%s: not a vimConnectionInfo JSON file: %s' % (
            name, exc))
    if not isinstance(info, dict) or 'vimType' not in info:
        raise VimError('%s: the JSON is not one vimConnectionInfo entry '
                       '(it has no vimType)' % name)
    return info


def kubernetes(children, run_dir, console, environ=None):
    environ = os.environ if environ is None else environ
    info = given_connection_info(KUBERNETES, environ)
    if info is not None:
        vim = Vim(KUBERNETES, 'the cluster of $%s (%s)' % (
            ENV[KUBERNETES], info['interfaceInfo']['endpoint']), info, True)
    else:
        child = children.start(
            'Kubernetes API simulator',
            [sys.executable, '-m', 'tacker.tests.k8s_simulator',
             '--port', '0'],
            os.path.join(run_dir, 'k8s-simulator.log'))
        url = child.wait_line('https://', SIMULATOR_TIMEOUT)
        token = child.wait_line('token: ', SIMULATOR_TIMEOUT).split()[-1]
        ca_file = child.wait_line('ca: ', SIMULATOR_TIMEOUT)[len('ca: '):]
        with open(ca_file) as f:
            ca_pem = f.read()
        # As for a cluster with its own CA: the CA goes with the endpoint.
        info = {'vimId': 'k8s-simulator', 'vimType': 'kubernetes',
                'interfaceInfo': {'endpoint': url, 'ssl_ca_cert': ca_pem},
                'accessInfo': {'bearer_token': token}}
        vim = Vim(KUBERNETES, 'the Kubernetes API simulator at %s' % url,
                  info, False)
    vim.namespace = environ.get(NAMESPACE_ENV) or 'default'
    return vim


class TestCloud:
    """The OpenStack test cloud, up for the run and down at its end."""

    def __init__(self, run_dir, console):
        from tacker.tests.openstack_cloud import cloud
        self.console = console
        self.cloud = cloud.Cloud(os.path.join(run_dir, 'openstack-cloud'),
                                 log=lambda msg: console.say(
                                     'test cloud: %s', msg))

    def up(self):
        from tacker.tests.openstack_cloud import install
        self.console.say('bringing up the OpenStack test cloud (Keystone, '
                         'Heat, Nova with the fake driver, Neutron, Glance, '
                         'Cinder); the first time this installs them')
        try:
            return self.cloud.up()
        except install.InstallError as exc:
            raise VimError('the OpenStack test cloud cannot be installed: '
                           '%s' % exc)

    def down(self):
        self.cloud.down()
        self.console.say('the OpenStack test cloud is down')


def openstack(run_dir, console, on_exit, environ=None):
    """The OpenStack VIM; ``on_exit(callable)`` registers its teardown."""
    environ = os.environ if environ is None else environ
    info = given_connection_info(OPENSTACK, environ)
    if info is not None:
        vim = Vim(OPENSTACK, 'the cloud of $%s (%s)' % (
            ENV[OPENSTACK], info['interfaceInfo']['endpoint']), info, True)
    else:
        for tool in ('mysql', 'rabbitmqctl'):
            if not shutil.which(tool):
                raise VimError('the OpenStack test cloud needs MariaDB and '
                               'RabbitMQ on this machine (%s not found)' %
                               tool)
        test_cloud = TestCloud(run_dir, console)
        on_exit(test_cloud.down)
        info = test_cloud.up()
        vim = Vim(OPENSTACK, 'the OpenStack test cloud at %s' %
                  info['interfaceInfo']['endpoint'], info, False)
    network = (environ.get(NETWORK_ENV) or
               (info.get('extra') or {}).get('network') or 'ext-net')
    vim.network_id = network_id(info, network)
    return vim


def network_id(info, name_or_id):
    """The id of the Neutron network the VNF's external CPs go on."""
    access = info.get('accessInfo') or {}
    auth = v3.Password(
        auth_url=info['interfaceInfo']['endpoint'],
        username=access.get('username'), password=access.get('password'),
        project_name=access.get('project'),
        user_domain_name=access.get('userDomain', 'Default'),
        project_domain_name=access.get('projectDomain', 'Default'))
    sess = ks_session.Session(auth=auth, timeout=HTTP_TIMEOUT)
    where = {'service_type': 'network', 'interface': 'public',
             'region_name': access.get('region')}
    for key in ('name', 'id'):
        found = sess.get('/v2.0/networks?%s=%s' % (
            key, urllib.parse.quote(name_or_id)),
            endpoint_filter=where).json()['networks']
        if found:
            return found[0]['id']
    raise VimError('the VIM has no network %r for the external connection '
                   'points (set %s)' % (name_or_id, NETWORK_ENV))
