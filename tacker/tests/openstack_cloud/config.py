"""Each service's configuration, rendered into the cloud's state dir.

Nothing here is read from /etc: every path points into the state dir or
the cloud venv, every listener is 127.0.0.1, databases live on the
machine's MariaDB under the cloud's own prefix and messaging goes through
the cloud's own RabbitMQ vhost.  Services log to stderr, which the
launcher sends to ``STATE/log/NAME.log``.
"""
import os

MARIADB = 'mysql+pymysql://root@127.0.0.1:3306/%s?charset=utf8'
RABBIT = 'rabbit://guest:guest@127.0.0.1:5672/%s'
REGION = 'RegionOne'
SERVICE_PROJECT = 'service'
PHYSNET = 'physnet1'
# neutron's `test` mechanism driver binds ports of this host (see
# plugins/tacker_test_cloud/ml2.py), so nova-compute takes this name.
COMPUTE_HOST = 'host-ovs-filter-active'

# Each service's databases (MariaDB names are PREFIX_NAME).
DATABASES = ('keystone', 'placement', 'glance', 'neutron', 'nova_api',
             'nova_cell0', 'nova_cell1', 'cinder', 'heat')


def db_name(prefix, name):
    return '%s_%s' % (prefix, name)


def db_url(prefix, name):
    return MARIADB % db_name(prefix, name)


def keystone_url(state):
    return 'http://127.0.0.1:%d' % state['ports']['keystone']


def api_url(state, name):
    return 'http://127.0.0.1:%d' % state['ports'][name]


def conf_path(state_dir, name):
    return os.path.join(state_dir, 'etc', name + '.conf')


def _render(sections):
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        for key, value in options.items():
            if isinstance(value, bool):
                value = 'true' if value else 'false'
            lines.append('%s = %s' % (key, value))
        lines.append('')
    return '\n'.join(lines)


def _authtoken(state, user):
    ks = keystone_url(state)
    return {
        'www_authenticate_uri': ks + '/v3',
        'auth_url': ks + '/v3',
        'auth_type': 'password',
        'username': user,
        'password': state['passwords']['service'],
        'project_name': SERVICE_PROJECT,
        'user_domain_name': 'Default',
        'project_domain_name': 'Default',
        'region_name': REGION,
    }


def _client_auth(state, user):
    # Options of a keystoneauth1 section ([placement], [neutron] ...).
    ks = keystone_url(state)
    return {
        'auth_type': 'password',
        'auth_url': ks + '/v3',
        'username': user,
        'password': state['passwords']['service'],
        'project_name': SERVICE_PROJECT,
        'user_domain_name': 'Default',
        'project_domain_name': 'Default',
        'region_name': REGION,
    }


def _common(state, state_dir, name):
    return {
        'DEFAULT': {
            'debug': bool(os.environ.get('TACKER_TEST_OPENSTACK_DEBUG')),
            'use_stderr': True,
            'transport_url': RABBIT % state['vhost'],
            'state_path': os.path.join(state_dir, 'data', name),
        },
        'oslo_concurrency': {
            'lock_path': os.path.join(state_dir, 'data', name, 'lock'),
        },
        'oslo_messaging_notifications': {'driver': 'noop'},
    }


def keystone(state, state_dir, venv):
    data = os.path.join(state_dir, 'data', 'keystone')
    return {
        'DEFAULT': {'use_stderr': True},
        'database': {'connection': db_url(state['prefix'], 'keystone')},
        'token': {'provider': 'fernet'},
        'fernet_tokens': {'key_repository': os.path.join(data, 'fernet')},
        'fernet_receipts': {
            'key_repository': os.path.join(data, 'fernet-receipts')},
        'credential': {'key_repository': os.path.join(data, 'credential')},
        # The lowest bcrypt cost keeps every login fast.
        'identity': {'password_hash_rounds': 4},
    }


def placement(state, state_dir, venv):
    return {
        'DEFAULT': {'use_stderr': True},
        'placement_database': {
            'connection': db_url(state['prefix'], 'placement')},
        'api': {'auth_strategy': 'keystone'},
        'keystone_authtoken': _authtoken(state, 'placement'),
    }


def glance(state, state_dir, venv):
    data = os.path.join(state_dir, 'data', 'glance')
    conf = _common(state, state_dir, 'glance')
    conf['DEFAULT'].pop('state_path')
    conf['DEFAULT'].update({
        'enabled_backends': 'file:file',
        'worker_self_reference_url': api_url(state, 'glance'),
    })
    conf.update({
        'glance_store': {'default_backend': 'file'},
        'file': {'filesystem_store_datadir': os.path.join(data, 'images')},
        'os_glance_staging_store': {
            'filesystem_store_datadir': os.path.join(data, 'staging')},
        'os_glance_tasks_store': {
            'filesystem_store_datadir': os.path.join(data, 'tasks')},
        'database': {'connection': db_url(state['prefix'], 'glance')},
        'keystone_authtoken': _authtoken(state, 'glance'),
        'paste_deploy': {
            'flavor': 'keystone',
            'config_file': os.path.join(venv, 'etc', 'glance',
                                        'glance-api-paste.ini')},
    })
    return conf


def neutron(state, state_dir, venv):
    conf = _common(state, state_dir, 'neutron')
    conf['DEFAULT'].update({
        'core_plugin': 'ml2',
        'service_plugins': '',
        'auth_strategy': 'keystone',
        'allow_overlapping_ips': True,
        'api_paste_config': os.path.join(venv, 'etc', 'neutron',
                                         'api-paste.ini'),
        # No agents and no data plane: nothing to tell Nova or DHCP.
        'notify_nova_on_port_status_changes': False,
        'notify_nova_on_port_data_changes': False,
        'dhcp_agent_notification': False,
    })
    conf.update({
        # Projects make networks of their own as on a cloud (VXLAN, which
        # needs nothing but the database without agents); the external
        # network is the flat one.
        'ml2': {
            'type_drivers': 'flat,vxlan',
            'tenant_network_types': 'vxlan',
            'mechanism_drivers': 'tacker_test',
            'extension_drivers': 'port_security',
        },
        'ml2_type_flat': {'flat_networks': PHYSNET},
        'ml2_type_vxlan': {'vni_ranges': '1001:2000'},
        'database': {'connection': db_url(state['prefix'], 'neutron')},
        'keystone_authtoken': _authtoken(state, 'neutron'),
    })
    return conf


def nova(state, state_dir, venv):
    data = os.path.join(state_dir, 'data', 'nova')
    conf = _common(state, state_dir, 'nova')
    conf['DEFAULT'].update({
        'host': COMPUTE_HOST,
        'my_ip': '127.0.0.1',
        'compute_driver': 'fake.FakeDriverWithoutFakeNodes',
        'instances_path': os.path.join(data, 'instances'),
        'enabled_apis': 'osapi_compute',
        # No agent ever reports a plugged VIF.
        'vif_plugging_is_fatal': False,
        'vif_plugging_timeout': 0,
        'allow_resize_to_same_host': True,
    })
    conf.update({
        'api_database': {'connection': db_url(state['prefix'], 'nova_api')},
        'database': {'connection': db_url(state['prefix'], 'nova_cell1')},
        'wsgi': {'api_paste_config': os.path.join(venv, 'etc', 'nova',
                                                  'api-paste.ini')},
        'keystone_authtoken': _authtoken(state, 'nova'),
        'placement': _client_auth(state, 'nova'),
        'neutron': _client_auth(state, 'nova'),
        'cinder': dict(_client_auth(state, 'nova'), os_region_name=REGION),
        'glance': {'region_name': REGION},
        # Requests nova makes for a user carry nova's own token too:
        # without a valid one, neutron and cinder answer 401.
        'service_user': dict(_client_auth(state, 'nova'),
                             send_service_user_token=True),
        'scheduler': {'workers': 1},
        'conductor': {'workers': 1},
        'vnc': {'enabled': False},
    })
    conf['cinder'].pop('region_name')
    return conf


def cinder(state, state_dir, venv):
    conf = _common(state, state_dir, 'cinder')
    conf['DEFAULT'].update({
        'auth_strategy': 'keystone',
        'my_ip': '127.0.0.1',
        'host': 'tacker-test-cloud',
        'enabled_backends': 'fake',
        'api_paste_config': os.path.join(venv, 'etc', 'cinder',
                                         'api-paste.ini'),
    })
    conf.update({
        'fake': {
            'volume_driver':
                'tacker_test_cloud.volume.FakeCloningVolumeDriver',
            'volume_backend_name': 'fake',
            'target_helper': 'fake',
        },
        'database': {'connection': db_url(state['prefix'], 'cinder')},
        'keystone_authtoken': _authtoken(state, 'cinder'),
        'nova': _client_auth(state, 'cinder'),
        'service_user': dict(_client_auth(state, 'cinder'),
                             send_service_user_token=True),
    })
    return conf


def heat(state, state_dir, venv):
    ks = keystone_url(state)
    heat_url = api_url(state, 'heat')
    conf = _common(state, state_dir, 'heat')
    conf['DEFAULT'].pop('state_path')
    conf['DEFAULT'].update({
        'stack_user_domain_name': 'heat',
        'stack_domain_admin': 'heat_domain_admin',
        'stack_domain_admin_password':
            state['passwords']['heat_domain_admin'],
        'num_engine_workers': 1,
        'region_name_for_services': REGION,
        'heat_metadata_server_url': heat_url,
        'heat_waitcondition_server_url': heat_url + '/v1/waitcondition',
    })
    conf.update({
        'database': {'connection': db_url(state['prefix'], 'heat')},
        'keystone_authtoken': _authtoken(state, 'heat'),
        'trustee': {
            'auth_type': 'password',
            'auth_url': ks + '/v3',
            'username': 'heat',
            'password': state['passwords']['service'],
            'user_domain_name': 'Default',
        },
        'clients_keystone': {'auth_uri': ks},
        'paste_deploy': {'api_paste_config': os.path.join(
            venv, 'etc', 'heat', 'api-paste.ini')},
    })
    return conf


RENDERERS = {
    'keystone': keystone,
    'placement': placement,
    'glance': glance,
    'neutron': neutron,
    'nova': nova,
    'cinder': cinder,
    'heat': heat,
}


def render_all(state, state_dir, venv):
    """Write every service's config file; make the data directories."""
    os.makedirs(os.path.join(state_dir, 'etc'), exist_ok=True)
    os.makedirs(os.path.join(state_dir, 'log'), exist_ok=True)
    for name, render in RENDERERS.items():
        os.makedirs(os.path.join(state_dir, 'data', name, 'lock'),
                    exist_ok=True)
        path = conf_path(state_dir, name)
        with open(path, 'w') as f:
            f.write(_render(render(state, state_dir, venv)))
        os.chmod(path, 0o600)  # it holds passwords
    # placement finds its file through a directory, glance by file name.
    for name, dirname, filename in (
            ('placement', 'placement', 'placement.conf'),
            ('glance', 'glance', 'glance-api.conf')):
        target = os.path.join(state_dir, 'etc', dirname)
        os.makedirs(target, exist_ok=True)
        link = os.path.join(target, filename)
        if not os.path.lexists(link):
            os.symlink(conf_path(state_dir, name), link)
