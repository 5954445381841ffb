"""The test cloud's life cycle: up, status and down.

All that ``down`` or a later ``up`` must know is kept in
``STATE/state.json``: the database prefix and vhost, the ports, the
passwords and the PID of every process.  ``up`` on a state dir whose
processes all run changes nothing; on a state dir whose processes are gone
(a reboot, a killed test run) it starts them again on the same databases.
"""
import concurrent.futures
import contextlib
import json
import os
import secrets
import shutil
import socket
import tempfile
import time

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session

from tacker.tests.openstack_cloud import config
from tacker.tests.openstack_cloud import install
from tacker.tests.openstack_cloud import procs
from tacker.tests.openstack_cloud import resources
from tacker.tests.openstack_cloud import services

STATE_FILE = 'state.json'
VIM_FILE = 'vim_connection_info.json'
API_TIMEOUT = 180
COMPUTE_TIMEOUT = 180
VIM_TYPE = 'ETSINFV.OPENSTACK_KEYSTONE.V_3'


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers do: a port left in TIME_WAIT is free for them.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(('127.0.0.1', port))
        except OSError:
            return False
        return True


def _mysql(sql):
    procs.run(['mysql', '-h', '127.0.0.1', '-P', '3306', '-u', 'root',
               '--batch', '-e', sql], 60)


def _rabbitmqctl(*args):
    return procs.run(['rabbitmqctl', '-q'] + list(args), 120)


class Cloud(object):

    def __init__(self, state_dir=None, log=None):
        self.state_dir = os.path.abspath(state_dir) if state_dir else None
        self.log = log or (lambda msg: None)
        self.state = None
        self.timings = {}
        if self.state_dir:
            self.state = self._load()

    # ---- state file ------------------------------------------------------

    @property
    def state_file(self):
        return os.path.join(self.state_dir, STATE_FILE)

    def _load(self):
        try:
            with open(self.state_file) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def _save(self):
        tmp = self.state_file + '.tmp'
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                          0o600), 'w') as f:
            json.dump(self.state, f, indent=2, sort_keys=True)
        os.replace(tmp, self.state_file)

    def _new_state(self, venv):
        tag = secrets.token_hex(4)
        ports = {}
        for name in config.RENDERERS:
            port = _free_port()
            while port in ports.values():
                port = _free_port()
            ports[name] = port
        return {
            'prefix': 'tkc_' + tag,
            'vhost': 'tacker-cloud-' + tag,
            'ports': ports,
            'passwords': {key: secrets.token_urlsafe(18) for key in
                          ('admin', 'service', 'heat_domain_admin',
                           'tacker')},
            'venv': venv,
            'pids': {},
            'prepared': False,
        }

    # ---- what runs -------------------------------------------------------

    def process_status(self):
        """{name: pid or None} for every process of this cloud."""
        pids = (self.state or {}).get('pids', {})
        names = list(services.APIS) + list(services.WORKERS)
        return {name: (pids.get(name) if pids.get(name) and procs.alive(
            pids[name], self.state_dir) else None) for name in names}

    def api_answers(self, name):
        conf_name = services.APIS[name][0]
        url = config.api_url(self.state, conf_name) + \
            services.HEALTH_PATHS[name]
        try:
            resp = ks_session.Session().get(
                url, authenticated=False, raise_exc=False, timeout=5)
        except ks_exc.ConnectionError:
            return False
        except ks_exc.ClientException:
            return False
        return resp.status_code < 500

    def is_up(self):
        if not self.state or not self.state.get('prepared'):
            return False
        if not all(self.process_status().values()):
            return False
        return all(self.api_answers(name) for name in services.APIS)

    def status(self):
        if not self.state:
            return {'state_dir': self.state_dir, 'up': False,
                    'processes': {}}
        return {
            'state_dir': self.state_dir,
            'up': self.is_up(),
            'prefix': self.state['prefix'],
            'keystone': config.keystone_url(self.state) + '/v3',
            'processes': self.process_status(),
        }

    # ---- up --------------------------------------------------------------

    def up(self):
        """Start the cloud (or find it running); return vimConnectionInfo."""
        began = self._began = time.monotonic()
        if self.state_dir is None:
            self.state_dir = tempfile.mkdtemp(prefix='tacker-os-cloud-')
            self.state = None
        os.makedirs(self.state_dir, exist_ok=True)
        if self.state and self.is_up():
            self.log('the cloud in %s is up' % self.state_dir)
            return self.vim_connection_info()
        venv = install.ensure_installed(self.log)
        self.timings['install'] = time.monotonic() - began
        try:
            if self.state is None:
                self.state = self._new_state(venv)
                self._save()
            else:
                self.state['venv'] = venv
                self._stop_processes()
            self._check_ports()
            config.render_all(self.state, self.state_dir, venv)
            if not self.state.get('synced'):
                self._create_backing_stores()
            self._prepare_and_start(venv)
            self.timings['apis'] = time.monotonic() - began
            sess = resources.admin_session(self.state)
            resources.wait_for_compute(sess, venv, self.state_dir,
                                       COMPUTE_TIMEOUT)
            resources.create_images(sess)
            resources.create_flavors(sess)
            resources.create_network(sess)
        except BaseException as exc:
            self.log('the cloud did not start: %s' % exc)
            self.log(self.logs_tail())
            raise
        self.state['prepared'] = True
        self._save()
        info = self.vim_connection_info()
        with open(os.open(os.path.join(self.state_dir, VIM_FILE),
                          os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                  'w') as f:
            json.dump(info, f, indent=2)
        self.timings['ready'] = time.monotonic() - began
        return info

    def _check_ports(self):
        # A port kept from an earlier run may have been taken meanwhile.
        for name, port in self.state['ports'].items():
            if not _port_free(port):
                new = _free_port()
                self.log('port %d of %s is taken; using %d' % (
                    port, name, new))
                self.state['ports'][name] = new
        self._save()

    def _create_backing_stores(self):
        prefix = self.state['prefix']
        statements = ['CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET '
                      'utf8mb4' % config.db_name(prefix, name)
                      for name in config.DATABASES]
        _mysql('; '.join(statements))
        vhost = self.state['vhost']
        if vhost not in _rabbitmqctl('list_vhosts').split():
            _rabbitmqctl('add_vhost', vhost)
        _rabbitmqctl('set_permissions', '-p', vhost, 'guest',
                     '.*', '.*', '.*')

    def _record(self, name, pid):
        self.state['pids'][name] = pid
        self._save()

    def _prepare_and_start(self, venv):
        state = self.state
        synced = state.get('synced')
        steps = services.setup_steps(venv, self.state_dir, state)
        bootstrap_env = {'OS_BOOTSTRAP_PASSWORD': state['passwords']['admin']}
        if not synced:
            services.run_setup(steps.pop('keystone'), venv, bootstrap_env)
        self._record('keystone', services.start_api(
            venv, self.state_dir, state, 'keystone'))
        # The other services' databases fill while Keystone starts.
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            jobs = {}
            if not synced:
                for name, commands in steps.items():
                    if name != 'keystone':
                        jobs[name] = pool.submit(services.run_setup,
                                                 commands, venv)
            self._wait_apis(['keystone'])
            jobs['identity'] = pool.submit(resources.create_identity, state)
            for name, job in jobs.items():
                job.result()
        state['synced'] = True
        self._save()
        self.timings['setup'] = time.monotonic() - self._began
        apis = [n for n in services.APIS if n != 'keystone']
        for name in apis:
            self._record(name, services.start_api(venv, self.state_dir,
                                                  state, name))
        self._wait_apis(['placement'])
        for name in services.WORKERS:
            self._record(name, services.start_worker(venv, self.state_dir,
                                                     name))
        self._wait_apis(apis)

    def _wait_apis(self, names):
        pids = self.state['pids']

        def ready():
            for name in names:
                if not procs.alive(pids[name], self.state_dir):
                    raise RuntimeError('%s exited:\n%s' % (
                        name, procs.file_tail(services.log_path(
                            self.state_dir, name))))
            return all(self.api_answers(name) for name in names)

        procs.poll(ready, API_TIMEOUT, ', '.join(names))

    # ---- down ------------------------------------------------------------

    def _stop_processes(self):
        pids = self.state.get('pids', {})
        # Workers first, so that none of them logs the APIs going away.
        # No thread pool: this also runs from atexit, where a pool can no
        # longer take work.
        order = list(services.WORKERS) + list(services.APIS)
        procs.stop_groups([pids[n] for n in order if n in pids],
                          self.state_dir)
        self.state['pids'] = {}
        self._save()

    def down(self):
        """Stop every process, drop databases and vhost, remove state."""
        if not self.state:
            if self.state_dir and os.path.isdir(self.state_dir) and \
                    os.path.exists(self.state_file):
                shutil.rmtree(self.state_dir, ignore_errors=True)
            return
        self._stop_processes()
        prefix = self.state['prefix']
        with contextlib.suppress(RuntimeError):
            _mysql('; '.join('DROP DATABASE IF EXISTS `%s`' %
                             config.db_name(prefix, name)
                             for name in config.DATABASES))
        with contextlib.suppress(RuntimeError):
            if self.state['vhost'] in _rabbitmqctl('list_vhosts').split():
                _rabbitmqctl('delete_vhost', self.state['vhost'])
        shutil.rmtree(self.state_dir, ignore_errors=True)
        self.state = None

    # ---- what clients use ------------------------------------------------

    def vim_connection_info(self):
        tag = self.state['prefix']
        return {
            'vimId': 'openstack-test-cloud-' + tag,
            'vimType': VIM_TYPE,
            'interfaceInfo': {
                'endpoint': config.keystone_url(self.state) + '/v3'},
            'accessInfo': {
                'username': resources.TACKER_USER,
                'password': self.state['passwords']['tacker'],
                'project': resources.TACKER_PROJECT,
                'projectDomain': resources.DOMAIN,
                'userDomain': resources.DOMAIN,
                'region': config.REGION,
            },
            'extra': {'network': resources.NETWORK,
                      'images': list(resources.IMAGES),
                      'flavors': [f[0] for f in resources.FLAVORS]},
        }

    def logs_tail(self, lines=15):
        if not self.state_dir:
            return ''
        out = []
        log_dir = os.path.join(self.state_dir, 'log')
        with contextlib.suppress(OSError):
            for name in sorted(os.listdir(log_dir)):
                text = procs.file_tail(os.path.join(log_dir, name), lines)
                if 'ERROR' in text or 'Traceback' in text:
                    out.append('--- %s\n%s' % (name, text))
        return '\n'.join(out)
