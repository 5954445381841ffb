"""Real tacker-server and tacker-conductor processes for functional tests."""
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

import unittest

import fixtures
import requests

from tacker.tests import etsi_openapi

RABBIT = ('127.0.0.1', 5672)
RABBIT_URL = 'rabbit://guest:guest@127.0.0.1:5672/'


def rabbit_reachable():
    try:
        with socket.create_connection(RABBIT, timeout=2):
            return True
    except OSError:
        return False


class _Process:
    """A child process logging to a file.

    Its lines are also handed over, so a test can wait for "listening on".
    """

    def __init__(self, argv, env, log_path):
        self.log_path = log_path
        self.lines = queue.Queue()
        self.popen = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        with open(self.log_path, 'a') as log:
            for line in self.popen.stdout:
                log.write(line)
                log.flush()
                self.lines.put(line)
        self.lines.put(None)

    def wait_line(self, marker, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            if marker in line:
                return line.strip()
        raise RuntimeError('%s did not print %r; log: %s\n%s' % (
            self.popen.args, marker, self.log_path, self.tail()))

    def tail(self, count=40):
        try:
            with open(self.log_path) as f:
                return ''.join(f.readlines()[-count:])
        except OSError:
            return ''

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        self._reader.join(10)


class TackerService(fixtures.Fixture):
    """tacker-server (+ conductors when transport_url is given).

    The services run with the step VIM installed (step_vim_service), on a
    database of their own under a temporary state directory.
    """

    def __init__(self, transport_url=None, conductors=0, options=None,
                 database_url=None):
        super().__init__()
        self.transport_url = transport_url
        self.conductor_count = conductors
        self.options = options or {}
        self.database_url = database_url

    def _setUp(self):
        self.state_dir = self.useFixture(fixtures.TempDir()).path
        self.store_file = os.path.join(self.state_dir, 'step_vim.json')
        self.db_url = self.database_url or 'sqlite:///' + os.path.join(
            self.state_dir, 'tacker.sqlite')
        self.conf_file = os.path.join(self.state_dir, 'tacker.conf')
        sections = {
            'DEFAULT': {'state_path': self.state_dir, 'bind_port': '0',
                        'bind_host': '127.0.0.1', 'debug': 'true'},
            'database': {'connection': self.db_url},
            'conductor': {'heartbeat_interval': '0.5',
                          'lease_timeout': '3'},
            # The tests' notification receivers listen on loopback.
            'notification': {'allowed_callback_networks':
                             '0.0.0.0/0,::/0,127.0.0.0/8'},
        }
        if self.transport_url:
            sections['DEFAULT']['transport_url'] = self.transport_url
            # A topic of our own keeps parallel runs apart on one broker.
            sections['conductor']['topic'] = 'tacker-test-%d-%d' % (
                os.getpid(), id(self))
        for (group, key), value in self.options.items():
            sections.setdefault(group, {})[key] = value
        with open(self.conf_file, 'w') as f:
            for group, values in sections.items():
                f.write('[%s]\n' % group)
                for key, value in values.items():
                    f.write('%s = %s\n' % (key, value))
        self.env = dict(os.environ, TACKER_STEP_VIM_STORE=self.store_file)
        if not self.db_url.startswith('sqlite'):
            self._run_db_manage()
        self.conductors = []
        self.server = None
        self.start_server()
        for _ in range(self.conductor_count):
            self.start_conductor()

    def start_server(self):
        self.server = self._start('server', 'listening on')
        self.addCleanup(self.server.stop)
        self.base_url = self.server.wait_line('listening on').rsplit(
            ' ', 1)[1]
        return self.server

    def _run_db_manage(self):
        subprocess.run([sys.executable, '-m',
                        'tacker.sol_refactored.cmd.db_manage',
                        '--config-file', self.conf_file, 'upgrade', 'head'],
                       check=True, env=self.env, capture_output=True,
                       timeout=120)

    def _start(self, which, marker):
        self._started = getattr(self, '_started', 0) + 1
        log = os.path.join(self.state_dir,
                           '%s-%d.log' % (which, self._started))
        return _Process([sys.executable, '-m',
                         'tacker.tests.functional.step_vim_service', which,
                         '--config-file', self.conf_file], self.env, log)

    def start_conductor(self):
        proc = self._start('conductor', 'running')
        line = proc.wait_line('running')
        proc.conductor_id = line.split()[1]
        self.conductors.append(proc)
        self.addCleanup(proc.stop)
        return proc

    def logs(self):
        parts = []
        for name in sorted(os.listdir(self.state_dir)):
            if name.endswith('.log'):
                with open(os.path.join(self.state_dir, name)) as f:
                    parts.append('== %s ==\n%s' % (
                        name, ''.join(f.readlines()[-60:])))
        return '\n'.join(parts)


class Client:
    """requests against the service, with the SOL003 Version header."""

    def __init__(self, base_url, version='2.0.0', timeout=30):
        self.base_url = base_url
        self.version = version
        self.timeout = timeout
        self.session = requests.Session()

    def request(self, method, path, json=None, headers=None, **kwargs):
        all_headers = {'Accept': 'application/json'}
        if self.version:
            all_headers['Version'] = self.version
        all_headers.update(headers or {})
        resp = self.session.request(method, self.base_url + path, json=json,
                                    headers=all_headers,
                                    timeout=self.timeout, **kwargs)
        resp.body = None
        if resp.content and 'json' in resp.headers.get('Content-Type', ''):
            resp.body = resp.json()
        if self.check_conformance:
            self._conform(method, path, resp)
        return resp

    # Every answer is checked against the ETSI OpenAPI, unless a test
    # deliberately sends something outside the API.
    check_conformance = True
    _spec_missing = None

    def _conform(self, method, path, resp):
        if Client._spec_missing:
            return
        body = resp.body if resp.body is not None else (resp.content or None)
        try:
            etsi_openapi.check_response(method, path, resp.status_code,
                                        resp.headers, body)
        except unittest.SkipTest as e:
            Client._spec_missing = str(e)
            print('ETSI conformance checks skipped: %s' % e)

    def wait_op(self, lcmocc_id, states, timeout=60):
        """Poll the op occ with a short backoff until it is in states."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            resp = self.request('GET', '/vnflcm/v2/vnf_lcm_op_occs/' +
                                lcmocc_id)
            state = resp.body and resp.body.get('operationState')
            if state in states:
                return resp
            if time.monotonic() > deadline:
                raise AssertionError('operation %s stayed %s; wanted %s' % (
                    lcmocc_id, state, states))
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
