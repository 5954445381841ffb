"""The cloud's processes: how each one is set up, started and stopped.

APIs run under uwsgi (the pyuwsgi wheel) on 127.0.0.1, one process with
a few threads each; the other services are the projects' own console
scripts.  Every process leads a session of its own, so that stopping it
by its PID takes its children along.
"""
import os
import subprocess

from tacker.tests.openstack_cloud import config
from tacker.tests.openstack_cloud import procs

SETUP_TIMEOUT = 600

# name -> (config name, WSGI module, whether it reads sys.argv for its
# config file instead of an environment variable)
APIS = {
    'keystone': ('keystone', 'keystone.wsgi.api:application'),
    'placement': ('placement', 'placement.wsgi.api:application'),
    'glance-api': ('glance', 'glance.wsgi.api:application'),
    'neutron-api': ('neutron', 'neutron.wsgi.api:application'),
    'nova-api': ('nova', 'nova.wsgi.osapi_compute:application'),
    'cinder-api': ('cinder', 'cinder.wsgi.api:application'),
    'heat-api': ('heat', 'heat.wsgi.api:application'),
}
# The config name gives the port: state['ports'][config name].

# Started once Placement answers (nova's conductor and scheduler need it).
WORKERS = {
    'nova-conductor': 'nova',
    'nova-scheduler': 'nova',
    'nova-compute': 'nova',
    'cinder-scheduler': 'cinder',
    'cinder-volume': 'cinder',
    'heat-engine': 'heat',
}

# Where each API answers without a token, to know that it serves.
HEALTH_PATHS = {
    'keystone': '/v3',
    'placement': '/',
    'glance-api': '/versions',
    'neutron-api': '/',
    'nova-api': '/',
    'cinder-api': '/',
    'heat-api': '/',
}


def base_env(venv):
    """A clean environment: nothing of our venv or of an OpenStack login."""
    env = {
        'PATH': '%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:'
                '/sbin:/bin' % os.path.join(venv, 'bin'),
        'HOME': os.environ.get('HOME', '/tmp'),
        'LANG': 'C.UTF-8',
        'LC_ALL': 'C.UTF-8',
        'PYTHONUNBUFFERED': '1',
    }
    return env


def log_path(state_dir, name):
    return os.path.join(state_dir, 'log', name + '.log')


def api_command(venv, state_dir, state, name):
    conf_name, module = APIS[name]
    conf = config.conf_path(state_dir, conf_name)
    env = base_env(venv)
    argv = [os.path.join(venv, 'bin', 'uwsgi'),
            '--http-socket', '127.0.0.1:%d' % state['ports'][conf_name],
            '--wsgi', module,
            '--master', '--processes', '1', '--threads', '4',
            '--die-on-term', '--need-app', '--lazy-apps',
            '--buffer-size', '65535',
            # Pooled keep-alive connections to uwsgi's http-socket get
            # reset (keystonemiddleware then makes Placement answer 503).
            '--add-header', 'Connection: close',
            '--logto', log_path(state_dir, name)]
    if conf_name == 'keystone':
        env['OS_KEYSTONE_CONFIG_FILES'] = conf
    elif conf_name == 'placement':
        env['OS_PLACEMENT_CONFIG_DIR'] = os.path.join(
            state_dir, 'etc', 'placement')
    elif conf_name == 'glance':
        env['OS_GLANCE_CONFIG_DIR'] = os.path.join(state_dir, 'etc',
                                                   'glance')
    elif conf_name == 'neutron':
        env['OS_NEUTRON_CONFIG_FILES'] = conf
        # neutron's test mechanism driver asserts unit-test invariants
        # that a real port update breaks.
        env['PYTHONOPTIMIZE'] = '1'
    elif conf_name == 'nova':
        # nova loads its paste pipeline from the first file.
        env['OS_NOVA_CONFIG_FILES'] = '%s;%s' % (
            os.path.join(venv, 'etc', 'nova', 'api-paste.ini'), conf)
    else:
        # cinder and heat parse sys.argv for their config files.
        argv += ['--pyargv', '--config-file %s' % conf]
    return argv, env


def worker_command(venv, state_dir, name):
    conf = config.conf_path(state_dir, WORKERS[name])
    return ([os.path.join(venv, 'bin', name), '--config-file', conf],
            base_env(venv))


def start(argv, env, state_dir, name):
    """Start one process; return its PID."""
    log = open(log_path(state_dir, name), 'ab')
    try:
        proc = subprocess.Popen(
            argv, env=env, cwd=state_dir, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        log.close()
    return proc.pid


def start_api(venv, state_dir, state, name):
    argv, env = api_command(venv, state_dir, state, name)
    return start(argv, env, state_dir, name)


def start_worker(venv, state_dir, name):
    argv, env = worker_command(venv, state_dir, name)
    return start(argv, env, state_dir, name)


# ---- one-time setup of each service (databases, keys) -------------------

def _manage(venv, *argv):
    return [os.path.join(venv, 'bin', argv[0])] + list(argv[1:])


def setup_steps(venv, state_dir, state):
    """Per service, the commands that prepare its database and keys.

    Returned as {service: [argv, ...]}: the services are independent of
    each other and may be set up in parallel; each one's commands run in
    order.
    """
    def conf(name):
        return ['--config-file', config.conf_path(state_dir, name)]

    owner = ['--keystone-user', 'root', '--keystone-group', 'root']
    if os.getuid() != 0:
        import grp
        import pwd
        owner = ['--keystone-user', pwd.getpwuid(os.getuid()).pw_name,
                 '--keystone-group', grp.getgrgid(os.getgid()).gr_name]
    ks_url = config.keystone_url(state) + '/v3'
    prefix = state['prefix']
    return {
        'keystone': [
            _manage(venv, 'keystone-manage', *conf('keystone'), 'db_sync'),
            _manage(venv, 'keystone-manage', *conf('keystone'),
                    'fernet_setup', *owner),
            _manage(venv, 'keystone-manage', *conf('keystone'),
                    'credential_setup', *owner),
            # The admin password comes by OS_BOOTSTRAP_PASSWORD.
            _manage(venv, 'keystone-manage', *conf('keystone'),
                    'bootstrap',
                    '--bootstrap-admin-url', ks_url,
                    '--bootstrap-public-url', ks_url,
                    '--bootstrap-internal-url', ks_url,
                    '--bootstrap-region-id', config.REGION),
        ],
        'placement': [
            _manage(venv, 'placement-manage', *conf('placement'), 'db',
                    'sync')],
        'glance': [
            _manage(venv, 'glance-manage', *conf('glance'), 'db_sync')],
        'neutron': [
            _manage(venv, 'neutron-db-manage', *conf('neutron'),
                    'upgrade', 'heads')],
        'nova': [
            _manage(venv, 'nova-manage', *conf('nova'), 'api_db', 'sync'),
            _manage(venv, 'nova-manage', *conf('nova'), 'cell_v2',
                    'map_cell0', '--database_connection',
                    config.db_url(prefix, 'nova_cell0')),
            _manage(venv, 'nova-manage', *conf('nova'), 'cell_v2',
                    'create_cell', '--name', 'cell1'),
            _manage(venv, 'nova-manage', *conf('nova'), 'db', 'sync'),
        ],
        'cinder': [
            _manage(venv, 'cinder-manage', *conf('cinder'), 'db', 'sync')],
        'heat': [
            _manage(venv, 'heat-manage', *conf('heat'), 'db_sync')],
    }


def run_setup(commands, venv, env_extra=None):
    env = base_env(venv)
    env.update(env_extra or {})
    for argv in commands:
        procs.run(argv, SETUP_TIMEOUT, env=env)


def discover_hosts(venv, state_dir):
    procs.run(_manage(venv, 'nova-manage', '--config-file',
                      config.conf_path(state_dir, 'nova'), 'cell_v2',
                      'discover_hosts'), SETUP_TIMEOUT, env=base_env(venv))
