"""The test hosts themselves: HTTP, SSH, the load balancer, cleanup.

Skipped, with the reason, when namespaces cannot be made here (not root,
no ``ip``) or sshd / haproxy are not installed.
"""
import os
import subprocess

import paramiko
import testtools

from tacker.tests import test_hosts

VNFC_1 = '198.51.100.11'
VNFC_2 = '198.51.100.12'
LB = '198.51.100.5'


def _ssh(host, password, timeout=5):
    client = paramiko.SSHClient()
    expected = host.host_key

    class Pinned(paramiko.MissingHostKeyPolicy):
        def missing_host_key(self, client, hostname, key):
            seen = test_hosts.fixture.fingerprint_of_blob(key.asbytes())
            if seen != expected:
                raise paramiko.SSHException('unexpected host key %s' % seen)

    client.set_missing_host_key_policy(Pinned())
    client.connect(host.address, username=host.username, password=password,
                   timeout=timeout, banner_timeout=timeout,
                   auth_timeout=timeout, allow_agent=False,
                   look_for_keys=False)
    return client


def _alive(pid):
    """True if pid runs (a zombie waiting to be reaped does not)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


class TestTestHosts(testtools.TestCase):

    def setUp(self):
        super().setUp()
        test_hosts.check_available(need_haproxy=True)
        self.hosts = self.useFixture(test_hosts.TestHosts())

    def test_host_answers_http_with_its_version(self):
        host = self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        status, body = self.hosts.http_get(host.address)
        self.assertEqual(200, status)
        self.assertEqual('sample nginx VNF 1.0', body.strip())
        self.assertNotIn(host.password, repr(host))

    def test_ssh_password_and_wrong_password(self):
        host = self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        self.hosts.check_route(host.address)
        client = _ssh(host, host.password)
        try:
            _, out, _ = client.exec_command('id -un; pwd', timeout=10)
            self.assertEqual([host.username, host.home],
                             out.read().decode().split())
        finally:
            client.close()
        self.assertRaises(paramiko.AuthenticationException, _ssh, host,
                          host.password + 'x')

    def test_lb_forwards_and_moves_on_reload(self):
        old = self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        new = self.hosts.add_host(VNFC_2, 'sample nginx VNF 2.0')
        lb = self.hosts.add_lb(LB, backends=[old.address])
        self.assertEqual(LB, self.hosts.lb_address)
        self.assertEqual((200, 'sample nginx VNF 1.0\n'),
                         self.hosts.http_get(lb.address))
        # As a CoordinateVNF script would: over SSH, as the LB's user.
        self.hosts.check_route(lb.address)
        client = _ssh(lb, lb.password)
        try:
            stdin, out, err = client.exec_command(
                'cat > %s.new && mv %s.new %s && %s' % (
                    lb.backends_file, lb.backends_file, lb.backends_file,
                    lb.reload_command), timeout=20)
            stdin.write(test_hosts.fixture.backends_config([new.address]))
            stdin.channel.shutdown_write()
            self.assertEqual(0, out.channel.recv_exit_status(),
                             err.read().decode())
        finally:
            client.close()
        self.assertEqual([new.address], self.hosts.backends())
        status, body = self.hosts.wait_http(
            lb.address, lambda s, b: '2.0' in b)
        self.assertEqual((200, 'sample nginx VNF 2.0\n'), (status, body))
        for _ in range(3):
            self.assertEqual((200, 'sample nginx VNF 2.0\n'),
                             self.hosts.http_get(lb.address))

    def _run_as_user(self, host, command):
        client = _ssh(host, host.password)
        try:
            _, out, err = client.exec_command(command, timeout=30)
            status = out.channel.recv_exit_status()
            return status, out.read().decode() + err.read().decode()
        finally:
            client.close()

    def test_app_stop_and_start_over_ssh(self):
        host = self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        self.hosts.check_route(host.address)
        self.assertEqual((0, ''), self._run_as_user(host, 'bin/app-stop'))
        status, body = self.hosts.wait_http(host.address,
                                            lambda s, b: s is None)
        self.assertIsNone(status, body)
        self.assertEqual((0, ''), self._run_as_user(host, 'bin/app-start'))
        # app-start returns once the server answers.
        self.assertEqual((200, 'sample nginx VNF 1.0\n'),
                         self.hosts.http_get(host.address))
        # Again: it answers already, nothing else is started.
        with open(os.path.join(host.home, 'app.pid')) as f:
            pid = f.read()
        self.assertEqual((0, ''), self._run_as_user(host, 'bin/app-start'))
        with open(os.path.join(host.home, 'app.pid')) as f:
            self.assertEqual(pid, f.read())
        self.assertEqual((0, ''), self._run_as_user(host, 'bin/app-stop'))
        status, body = self.hosts.wait_http(host.address,
                                            lambda s, b: s is None)
        self.assertIsNone(status, body)

    def test_failing_command_and_restore(self):
        host = self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        restore = self.hosts.fail_command(host, 'app-stop',
                                          'refused by the test')
        self.assertEqual((1, 'refused by the test\n'),
                         self._run_as_user(host, 'bin/app-stop'))
        self.assertEqual(200, self.hosts.http_get(host.address)[0])
        restore()
        self.assertEqual((0, ''), self._run_as_user(host, 'bin/app-stop'))
        status, body = self.hosts.wait_http(host.address,
                                            lambda s, b: s is None)
        self.assertIsNone(status, body)

    def test_removed_host_frees_its_address(self):
        first = self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        other = self.hosts.add_host(VNFC_2, 'sample nginx VNF 1.0')
        made = self.hosts.names()
        self.hosts.remove_host(first)
        listed = subprocess.run(['ip', 'netns', 'list'],
                                stdout=subprocess.PIPE, text=True).stdout
        self.assertNotIn(first.name, listed.split())
        self.assertEqual([other], self.hosts.hosts)
        self.assertEqual(len(made['links']) - 1,
                         len(self.hosts.names()['links']))
        # Nobody holds the address (no ARP answer): the connect times out.
        self.assertRaises(OSError, self.hosts.http_get, VNFC_1, timeout=1)
        again = self.hosts.add_host(VNFC_1, 'sample nginx VNF 2.0')
        self.assertNotEqual(first.name, again.name)
        self.assertEqual((200, 'sample nginx VNF 2.0\n'),
                         self.hosts.http_get(VNFC_1))
        self.assertEqual(200, self.hosts.http_get(VNFC_2)[0])

    def test_cleanup_removes_everything(self):
        self.hosts.add_host(VNFC_1, 'sample nginx VNF 1.0')
        self.hosts.add_lb(LB, backends=[VNFC_1])
        made = self.hosts.names()
        pids = [int(p) for ns in made['namespaces'] for p in subprocess.run(
            ['ip', 'netns', 'pids', ns], stdout=subprocess.PIPE,
            text=True).stdout.split()]
        self.assertGreaterEqual(len(pids), 4)  # sshd x2, httpd, haproxy
        self.hosts.cleanup()
        for pid in pids:
            self.assertFalse(_alive(pid), pid)
        self.assertEqual(2, len(made['namespaces']))
        listed = subprocess.run(['ip', 'netns', 'list'],
                                stdout=subprocess.PIPE, text=True).stdout
        for ns in made['namespaces']:
            self.assertNotIn(ns, listed.split())
        for link in made['links']:
            self.assertNotEqual(0, subprocess.run(
                ['ip', 'link', 'show', link], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode, link)
        self.assertFalse(os.path.exists(made['tmp']))
        route = subprocess.run(['ip', 'route', 'get', VNFC_1],
                               stdout=subprocess.PIPE, text=True).stdout
        self.assertNotIn(made['links'][-1], route)
