"""Test hosts of our own, each in a network namespace.

Layout (names unique per process and fixture)::

    root namespace                     namespace tkh-<pid>-<n>
    bridge tkb<pid>-<k>  ------------  veth "eth0" with the host's address
    gateway 198.51.100.1/24            sshd on :22, HTTP server on :80
                                       (or haproxy on :80 for the LB)

Usage::

    hosts = self.useFixture(test_hosts.TestHosts())
    vnfc = hosts.add_host('198.51.100.11', 'sample nginx VNF 1.0')
    lb = hosts.add_lb('198.51.100.5', backends=[vnfc.address])
    status, body = hosts.http_get(lb.address)

Each host gets a user of its own that exists only inside its sshd's mount
namespace (a private copy of /etc/passwd and /etc/group, and an
/etc/shadow holding that user alone, bound over the real files): no system
user is created and nothing under /etc or /run of the machine changes.
The password is random; ``Host.password`` gives it to the test and
``repr(host)`` never shows it.  The host key is generated into a temporary
directory; ``Host.host_key`` is its ``SHA256:...`` fingerprint.

A host's HTTP server and the LB's haproxy run as that user (ports below
1024 are opened to unprivileged users inside the test namespaces only), so
that an SSH session can stop the server (``bin/app-stop``) or rewrite the
LB's backends (``haproxy/50-backends.cfg``) and reload it
(``bin/reload-haproxy``, a ``haproxy -sf`` restart), paths relative to the
user's home, which is the SSH session's working directory.  ``bin/app-start``
starts the HTTP server again (nothing happens when it answers already).

A host can be taken away again (``remove_host``), as a deleted VNFC's
server goes, so that its address can be given to another.

Network safety: only 198.51.100.0/24 (or 203.0.113.0/24) is accepted;
the range must not be routed or addressed anywhere on the machine when the
fixture starts; namespaces get no default route (they reach the /24 on the
bridge and nothing else); ``http_get`` and ``check_route`` check with
``ip route get`` that an address goes through our bridge and otherwise
raise ``unittest.SkipTest`` with the reason.

Cleanup kills every process inside our namespaces, deletes the namespaces
(and with them the veth pairs), the bridge and the temporary directory,
also after a failure; it runs at exit too if a test did not clean up.
What a killed test process left behind (its names carry its pid) is
listed by ``python -m tacker.tests.test_hosts`` and removed with
``--remove``.
"""
import atexit
import base64
import dataclasses
import hashlib
import http.client
import ipaddress
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import fixtures

ALLOWED_RANGES = (ipaddress.ip_network('198.51.100.0/24'),
                  ipaddress.ip_network('203.0.113.0/24'))
FORBIDDEN = ipaddress.ip_network('192.0.2.0/24')
DEFAULT_NETWORK = '198.51.100.0/24'
DEFAULT_GATEWAY = '198.51.100.1'
COMMAND_TIMEOUT = 30
START_TIMEOUT = 20
STOP_TIMEOUT = 10
FIRST_UID = 60100
LAST_UID = 60999

SSHD = '/usr/sbin/sshd'

_counter = itertools.count(1)

HTTPD = '''\
import http.server
import os
import sys

ADDRESS, PORT, BODY = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(BODY, 'rb') as f:
            body = f.read()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\\n' % (self.address_string(), fmt % args))


http.server.HTTPServer.allow_reuse_address = True
server = http.server.HTTPServer((ADDRESS, PORT), Handler)
server.serve_forever()
'''

APP_STOP = '''\
#!/bin/sh
# Stop the HTTP server of this test host; no error when it is not running.
pid=$(cat "%(home)s/app.pid" 2>/dev/null) || exit 0
kill "$pid" 2>/dev/null
exit 0
'''

APP_START = '''\
#!%(python)s -I
"""Start the HTTP server of this test host unless something answers."""
import os
import socket
import subprocess
import sys
import time

ADDRESS, HOME, PYTHON = %(address)r, %(home)r, %(python)r


def answers():
    try:
        socket.create_connection((ADDRESS, 80), timeout=1).close()
        return True
    except OSError:
        return False


if answers():
    sys.exit(0)
with open(os.path.join(HOME, 'app.log'), 'ab') as log:
    proc = subprocess.Popen(
        [PYTHON, '-I', os.path.join(HOME, 'httpd.py'), ADDRESS, '80',
         os.path.join(HOME, 'version')], stdin=subprocess.DEVNULL,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
with open(os.path.join(HOME, 'app.pid'), 'w') as f:
    f.write('%%d\\n' %% proc.pid)
deadline = time.monotonic() + %(timeout)d
delay = 0.02
while not answers():
    if proc.poll() is not None or time.monotonic() > deadline:
        sys.stderr.write('the HTTP server did not start; see app.log\\n')
        sys.exit(1)
    time.sleep(delay)
    delay = min(delay * 2, 0.5)
'''

FAILING_COMMAND = '''\
#!/bin/sh
echo '%(message)s' >&2
exit 1
'''

HAPROXY_FRONTEND = '''\
global
    maxconn 64

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend vnf
    bind %(address)s:80
    default_backend vnfcs
'''

RELOAD_HAPROXY = '''\
#!/bin/sh
# Check the configuration, then start a new haproxy that takes over from
# the running one (-sf: the old one finishes its connections and exits).
set -e
cfg="%(home)s/haproxy"
pidfile="%(home)s/haproxy.pid"
%(haproxy)s -c -q -f "$cfg"
exec %(haproxy)s -D -p "$pidfile" -f "$cfg" -sf $(cat "$pidfile")
'''

SSHD_CONFIG = '''\
ListenAddress %(address)s:22
HostKey %(host_key)s
PidFile %(priv)s/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
AuthorizedKeysFile none
PermitRootLogin no
AllowUsers %(username)s
StrictModes no
UseDNS no
AllowTcpForwarding local
AllowAgentForwarding no
X11Forwarding no
PrintMotd no
MaxAuthTries 3
LoginGraceTime 20
'''


def backends_config(addresses, port=80, name='vnfcs'):
    """The text of an haproxy backend section for addresses."""
    lines = ['backend %s' % name, '    balance roundrobin']
    for i, address in enumerate(addresses, 1):
        lines.append('    server vnfc%d %s:%d' % (i, address, port))
    return '\n'.join(lines) + '\n'


def _tail(text, lines=15):
    return '\n'.join((text or '').strip().splitlines()[-lines:])


def _run(argv, timeout=COMMAND_TIMEOUT, input=None, check=True):
    proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError('%s failed (exit %d): %s' % (
            ' '.join(argv[:4]), proc.returncode, _tail(proc.stderr)))
    return proc


def _unavailable_reason(need_haproxy=False):
    if os.geteuid() != 0:
        return 'test hosts need root (network namespaces, sshd)'
    tools = ['ip', 'unshare', 'setpriv', 'mount', 'ssh-keygen', 'openssl']
    if need_haproxy:
        tools.append('haproxy')
    missing = [t for t in tools if not shutil.which(t)]
    if not os.access(SSHD, os.X_OK):
        missing.append(SSHD + ' (apt-get install openssh-server)')
    if need_haproxy and not shutil.which('haproxy'):
        missing[missing.index('haproxy')] = 'haproxy (apt-get install haproxy)'
    if missing:
        return 'test hosts need: %s' % ', '.join(missing)
    return None


def check_available(need_haproxy=False):
    """Raise SkipTest with the reason when test hosts cannot be made."""
    reason = _unavailable_reason(need_haproxy)
    if reason:
        raise unittest.SkipTest(reason)


def fingerprint_of_pub(pub_path):
    """``SHA256:...`` of an OpenSSH public key file, as ssh-keygen -l."""
    with open(pub_path) as f:
        return fingerprint_of_blob(base64.b64decode(f.read().split()[1]))


def fingerprint_of_blob(blob):
    """``SHA256:...`` of a public key's wire form (paramiko asbytes())."""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode()
    return 'SHA256:' + digest.rstrip('=')


@dataclasses.dataclass
class Host:
    """A test host: where it is and how to log in."""
    name: str
    address: str
    username: str
    password: str = dataclasses.field(repr=False)
    host_key: str
    home: str
    version: str = None

    def ssh_param(self, cp_name=None, **extra):
        """The host as a vnfc_param / external_lb_param dict."""
        param = {'username': self.username, 'password': self.password,
                 'host_key': self.host_key}
        if cp_name:
            param['cp_name'] = cp_name
        param.update(extra)
        return param


@dataclasses.dataclass
class LbHost(Host):
    backends_file: str = 'haproxy/50-backends.cfg'
    reload_command: str = 'bin/reload-haproxy'

    def external_lb_param(self, **extra):
        param = self.ssh_param(ip_address=self.address,
                               backends_file=self.backends_file,
                               reload_command=self.reload_command)
        param.update(extra)
        return param


class TestHosts(fixtures.Fixture):
    """Test hosts on a bridge of our own; see the module docstring."""

    def __init__(self, network=DEFAULT_NETWORK, gateway=DEFAULT_GATEWAY):
        super().__init__()
        self.network = ipaddress.ip_network(network)
        self.gateway = ipaddress.ip_address(gateway)
        if not any(self.network.subnet_of(r) for r in ALLOWED_RANGES):
            raise ValueError('test hosts use 198.51.100.0/24 or '
                             '203.0.113.0/24 only, not %s' % network)
        if self.gateway not in self.network:
            raise ValueError('gateway %s is not in %s' % (gateway, network))
        self.hosts = []
        self.lb = None
        self._namespaces = []
        self._veths = []
        self._veth_of = {}
        self._procs = []
        self._bridge = None
        self._tmp = None
        self._cleaned = True

    # -- setup -----------------------------------------------------------

    def setUp(self):
        # Skip before fixtures' setUp: it would wrap a SkipTest raised in
        # _setUp into MultipleExceptions, reported as an error.
        check_available()
        busy = self._range_in_use()
        if busy:
            raise unittest.SkipTest(
                '%s is already in use on this machine (%s); test hosts '
                'need it free' % (self.network, busy))
        super().setUp()

    def _setUp(self):
        self._cleaned = False
        atexit.register(self.cleanup)
        self.addCleanup(self.cleanup)
        self._tmp = tempfile.mkdtemp(
            prefix='tacker-test-hosts-%d-' % os.getpid())
        os.chmod(self._tmp, 0o711)
        os.mkdir(os.path.join(self._tmp, 'homes'), 0o711)
        os.mkdir(os.path.join(self._tmp, 'priv'), 0o700)
        self._bridge = 'tkb%x-%x' % (os.getpid(), next(_counter))
        _run(['ip', 'link', 'add', self._bridge, 'type', 'bridge'])
        _run(['ip', 'addr', 'add', '%s/%d' % (
            self.gateway, self.network.prefixlen), 'dev', self._bridge])
        _run(['ip', 'link', 'set', self._bridge, 'up'])
        try:
            self.check_route(str(self.gateway), local=True)
        except unittest.SkipTest as e:
            raise RuntimeError(str(e))

    def _range_in_use(self):
        """A description of what holds our range already, or None."""
        routes = _run(['ip', '-o', '-4', 'route', 'show', 'table',
                       'all']).stdout
        for line in routes.splitlines():
            for token in line.split():
                try:
                    net = ipaddress.ip_network(token, strict=False)
                except ValueError:
                    continue
                # A broader route (a default, a /8) is overridden by our
                # connected /24; one inside or equal to it is a clash.
                if net.overlaps(self.network) and (
                        net.prefixlen >= self.network.prefixlen):
                    return 'route: %s' % line.strip()
                break
        addrs = _run(['ip', '-o', '-4', 'addr', 'show']).stdout
        for line in addrs.splitlines():
            m = re.search(r'inet (\S+)', line)
            if m and ipaddress.ip_interface(m.group(1)).ip in self.network:
                return 'address: %s' % ' '.join(line.split()[:4])
        return None

    def _check_address(self, address):
        ip = ipaddress.ip_address(address)
        if ip in FORBIDDEN or ip not in self.network:
            raise ValueError('%s is not in the test range %s' % (
                address, self.network))
        if ip in (self.gateway, self.network.network_address,
                  self.network.broadcast_address):
            raise ValueError('%s is reserved (gateway, network or '
                             'broadcast)' % address)
        if any(h.address == str(ip) for h in self.hosts):
            raise ValueError('a test host already has %s' % address)
        return str(ip)

    def check_route(self, address, local=False):
        """SkipTest unless the kernel routes address through our bridge."""
        out = _run(['ip', '-o', 'route', 'get', str(address)],
                   check=False)
        m = re.search(r'\bdev (\S+)', out.stdout)
        dev = m.group(1) if m else None
        if local:
            ok = out.stdout.startswith('local ')
        else:
            ok = dev == self._bridge and self._bridge is not None
        if not ok:
            raise unittest.SkipTest(
                'refusing to send to %s: the route goes %s, not through '
                'the test bridge %s' % (
                    address, (out.stdout or out.stderr).strip() or 'nowhere',
                    self._bridge))

    def _free_uid(self):
        taken = set()
        for path in ('/etc/passwd', '/etc/group'):
            with open(path) as f:
                for line in f:
                    fields = line.split(':')
                    if len(fields) > 2 and fields[2].isdigit():
                        taken.add(int(fields[2]))
        taken.update(getattr(h, '_uid', -1) for h in self.hosts)
        for uid in range(FIRST_UID + (os.getpid() % 400), LAST_UID):
            if uid not in taken:
                return uid
        raise RuntimeError('no free uid for a test user')

    def _make_namespace(self, address):
        n = next(_counter)
        ns = 'tkh-%d-%d' % (os.getpid(), n)
        veth = 'tkv%x-%x' % (os.getpid(), n)
        _run(['ip', 'netns', 'add', ns])
        self._namespaces.append(ns)
        _run(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name',
              'eth0', 'netns', ns])
        self._veths.append(veth)
        self._veth_of[ns] = veth
        _run(['ip', 'link', 'set', veth, 'master', self._bridge, 'up'])
        _run(['ip', '-n', ns, 'addr', 'add', '%s/%d' % (
            address, self.network.prefixlen), 'dev', 'eth0'])
        _run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up'])
        _run(['ip', '-n', ns, 'link', 'set', 'lo', 'up'])
        # Inside this namespace only: let the test user open port 80.
        _run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w',
              'net.ipv4.ip_unprivileged_port_start=0'])
        return ns

    def _make_user(self, ns, username, password=None):
        uid = self._free_uid()
        password = password or secrets.token_urlsafe(12)
        priv = os.path.join(self._tmp, 'priv', ns)
        home = os.path.join(self._tmp, 'homes', ns)
        os.mkdir(priv, 0o700)
        os.mkdir(home, 0o755)
        os.mkdir(os.path.join(home, 'bin'), 0o755)
        hashed = _run(['openssl', 'passwd', '-6', '-stdin'],
                      input=password + '\n').stdout.strip()
        with open('/etc/passwd') as f:
            passwd = f.read()
        with open('/etc/group') as f:
            group = f.read()
        for name, text in (
                ('passwd', passwd.rstrip('\n') + '\n%s:x:%d:%d::%s:/bin/sh\n'
                 % (username, uid, uid, home)),
                ('group', group.rstrip('\n') + '\n%s:x:%d:\n' % (
                    username, uid)),
                ('shadow', '%s:%s:19000:0:99999:7:::\n' % (
                    username, hashed))):
            path = os.path.join(priv, name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                         0o600 if name == 'shadow' else 0o644)
            with os.fdopen(fd, 'w') as f:
                f.write(text)
        return uid, password, priv, home

    def _start(self, ns, argv, log_path, uid=None):
        """Start argv in namespace ns (as uid, if given); its Popen."""
        if uid is not None:
            argv = ['setpriv', '--reuid', str(uid), '--regid', str(uid),
                    '--clear-groups', '--'] + argv
        log = open(log_path, 'ab')
        try:
            proc = subprocess.Popen(['ip', 'netns', 'exec', ns] + argv,
                                    stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT,
                                    start_new_session=True)
        finally:
            log.close()
        self._procs.append(proc)
        return proc

    def _start_sshd(self, ns, address, username, priv):
        key = os.path.join(priv, 'ssh_host_ed25519_key')
        _run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C',
              'tacker-test-host', '-f', key])
        config = os.path.join(priv, 'sshd_config')
        with open(config, 'w') as f:
            f.write(SSHD_CONFIG % {'address': address, 'host_key': key,
                                   'priv': priv, 'username': username})
        # In a mount namespace of its own: a private /run (sshd wants
        # /run/sshd) and the private passwd, group and shadow files.
        script = ('mount -t tmpfs -o mode=755 tkh-run /run && '
                  'mkdir -m 755 /run/sshd && '
                  'for f in passwd group shadow; do '
                  'mount --bind "$1/$f" "/etc/$f" || exit 1; done && '
                  'exec "$2" -D -e -f "$1/sshd_config"')
        proc = self._start(ns, ['unshare', '--mount', '--propagation',
                                'private', 'sh', '-c', script, 'sh', priv,
                                SSHD], os.path.join(priv, 'sshd.log'))
        self._wait_port(address, 22, proc, os.path.join(priv, 'sshd.log'))
        return fingerprint_of_pub(key + '.pub')

    def _wait_port(self, address, port, proc=None, log_path=None,
                   timeout=START_TIMEOUT):
        self.check_route(address)
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            try:
                socket.create_connection((address, port), timeout=1).close()
                return
            except OSError as e:
                error = e
            if proc is not None and proc.poll() is not None:
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(min(delay, max(0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.5)
        log = ''
        if log_path and os.path.exists(log_path):
            with open(log_path) as f:
                log = _tail(f.read())
        raise RuntimeError('%s:%d did not answer within %ss (%s)%s' % (
            address, port, timeout, error,
            '; log:\n' + log if log else ''))

    def _new_host(self, address, username, password=None):
        address = self._check_address(address)
        ns = self._make_namespace(address)
        uid, password, priv, home = self._make_user(ns, username, password)
        host_key = self._start_sshd(ns, address, username, priv)
        return ns, address, uid, password, priv, home, host_key

    # -- public ----------------------------------------------------------

    def add_host(self, address, version, username='vnfuser', password=None):
        """A VNFC at address: sshd on 22, HTTP on 80 answering version.

        The password is random unless given (as the password of a VNF
        image is known before any of its VMs boots).
        """
        ns, address, uid, password, priv, home, host_key = self._new_host(
            address, username, password)
        body = os.path.join(home, 'version')
        with open(body, 'w') as f:
            f.write(version + '\n')
        httpd = os.path.join(home, 'httpd.py')
        with open(httpd, 'w') as f:
            f.write(HTTPD)
        stop = os.path.join(home, 'bin', 'app-stop')
        with open(stop, 'w') as f:
            f.write(APP_STOP % {'home': home})
        os.chmod(stop, 0o755)
        start = os.path.join(home, 'bin', 'app-start')
        with open(start, 'w') as f:
            f.write(APP_START % {'python': _python(), 'address': address,
                                 'home': home, 'timeout': START_TIMEOUT})
        os.chmod(start, 0o755)
        log = os.path.join(priv, 'httpd.log')
        proc = self._start(ns, [_python(), '-I', httpd, address, '80',
                                body], log, uid=uid)
        # app-start, run by the user, writes them again.
        for name in ('app.pid', 'app.log'):
            with open(os.path.join(home, name), 'w') as f:
                f.write('%d\n' % proc.pid if name == 'app.pid' else '')
            os.chown(os.path.join(home, name), uid, uid)
        self._wait_port(address, 80, proc, log)
        host = Host(name=ns, address=address, username=username,
                    password=password, host_key=host_key, home=home,
                    version=version)
        host._uid = uid
        self.hosts.append(host)
        return host

    def add_lb(self, address, backends=(), username='lbadmin'):
        """The load balancer: haproxy on address:80 to backends:80."""
        check_available(need_haproxy=True)
        if self.lb is not None:
            raise ValueError('this fixture has a load balancer already')
        ns, address, uid, password, priv, home, host_key = self._new_host(
            address, username)
        haproxy = shutil.which('haproxy')
        cfg = os.path.join(home, 'haproxy')
        os.mkdir(cfg, 0o755)
        with open(os.path.join(cfg, '00-frontend.cfg'), 'w') as f:
            f.write(HAPROXY_FRONTEND % {'address': address})
        lb = LbHost(name=ns, address=address, username=username,
                    password=password, host_key=host_key, home=home)
        with open(os.path.join(home, lb.backends_file), 'w') as f:
            f.write(backends_config(backends))
        reload_path = os.path.join(home, lb.reload_command)
        with open(reload_path, 'w') as f:
            f.write(RELOAD_HAPROXY % {'home': home, 'haproxy': haproxy})
        os.chmod(reload_path, 0o755)
        for path in (cfg, os.path.join(home, lb.backends_file),
                     os.path.join(home, 'bin'), home):
            os.chown(path, uid, uid)
        log = os.path.join(priv, 'haproxy.log')
        proc = self._start(ns, [haproxy, '-D', '-p',
                                os.path.join(home, 'haproxy.pid'),
                                '-f', cfg], log, uid=uid)
        try:
            proc.wait(START_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        if proc.returncode:
            with open(log) as f:
                raise RuntimeError('haproxy did not start: %s' % _tail(
                    f.read()))
        self._wait_port(address, 80, None, log)
        lb._uid = uid
        self.hosts.append(lb)
        self.lb = lb
        return lb

    def remove_host(self, host):
        """Take a host away (its processes, namespace and link)."""
        if host not in self.hosts:
            raise ValueError('%s is not a host of this fixture' % host.name)
        _stop_namespace(host.name)
        for proc in self._procs:
            proc.poll()
        veth = self._veth_of.pop(host.name)
        proc = _run(['ip', 'link', 'del', veth], check=False)
        if proc.returncode and _run(['ip', 'link', 'show', veth],
                                    check=False).returncode == 0:
            raise RuntimeError('ip link del %s: %s' % (veth, proc.stderr))
        self._veths.remove(veth)
        _run(['ip', 'netns', 'del', host.name])
        self._namespaces.remove(host.name)
        self.hosts.remove(host)
        if host is self.lb:
            self.lb = None

    def run_as_user(self, host, command):
        """Run a shell command as the host's user in its home; (rc, out)."""
        proc = _run(['ip', 'netns', 'exec', host.name, 'setpriv',
                     '--reuid', str(host._uid), '--regid', str(host._uid),
                     '--clear-groups', '--', 'sh', '-c',
                     'cd "$1" && eval "$2"', 'sh', host.home, command],
                    check=False)
        return proc.returncode, proc.stdout + proc.stderr

    def sshd_log(self, host):
        """What the host's sshd wrote so far (logins, failures)."""
        path = os.path.join(self._tmp, 'priv', host.name, 'sshd.log')
        with open(path, errors='replace') as f:
            return f.read()

    def fail_command(self, host, command, message):
        """Make bin/<command> of host fail with message; a restore call."""
        path = os.path.join(host.home, 'bin', command)
        with open(path) as f:
            before = f.read()
        if "'" in message or '\n' in message:
            raise ValueError('the message must be one line without quotes')
        with open(path, 'w') as f:
            f.write(FAILING_COMMAND % {'message': message})

        def restore():
            with open(path, 'w') as f:
                f.write(before)
        return restore

    @property
    def lb_address(self):
        return self.lb.address if self.lb else None

    def set_backends(self, addresses):
        """Rewrite the LB's backends as root and reload (test helper)."""
        with open(os.path.join(self.lb.home, self.lb.backends_file),
                  'w') as f:
            f.write(backends_config(addresses))
        _run(['ip', 'netns', 'exec', self.lb.name, 'setpriv', '--reuid',
              str(self.lb._uid), '--regid', str(self.lb._uid),
              '--clear-groups', '--',
              os.path.join(self.lb.home, self.lb.reload_command)])

    def backends(self):
        """The addresses the LB's backends file names."""
        with open(os.path.join(self.lb.home, self.lb.backends_file)) as f:
            return re.findall(r'^\s*server\s+\S+\s+([0-9.]+):', f.read(),
                              re.M)

    def http_get(self, address, port=80, path='/', timeout=5):
        """GET from the root namespace; (status, body text)."""
        self.check_route(address)
        conn = http.client.HTTPConnection(str(address), port,
                                          timeout=timeout)
        try:
            conn.request('GET', path, headers={'Connection': 'close'})
            resp = conn.getresponse()
            return resp.status, resp.read().decode('utf-8', 'replace')
        finally:
            conn.close()

    def wait_http(self, address, predicate, timeout=15, port=80):
        """GET until predicate(status, body) holds; the last answer."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            try:
                last = self.http_get(address, port)
            except OSError as e:
                last = (None, str(e))
            if predicate(*last) or time.monotonic() >= deadline:
                return last
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def names(self):
        """What this fixture made in the kernel, and its temp directory."""
        return {'namespaces': list(self._namespaces),
                'links': list(self._veths) + (
                    [self._bridge] if self._bridge else []),
                'tmp': self._tmp}

    # -- cleanup ---------------------------------------------------------

    def cleanup(self):
        """Remove everything; safe to call twice, and after a failure."""
        if self._cleaned:
            return
        self._cleaned = True
        errors = []
        for ns in list(self._namespaces):
            try:
                _stop_namespace(ns)
            except Exception as e:
                errors.append('%s: %s' % (ns, e))
        for proc in self._procs:
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_TIMEOUT)
        # Deleting a namespace frees its veth pair later, asynchronously:
        # delete our side first so that nothing is left when we return.
        for veth in list(self._veths):
            proc = _run(['ip', 'link', 'del', veth], check=False)
            if proc.returncode and _run(['ip', 'link', 'show', veth],
                                        check=False).returncode == 0:
                errors.append('ip link del %s: %s' % (veth, proc.stderr))
            else:
                self._veths.remove(veth)
        for ns in list(self._namespaces):
            proc = _run(['ip', 'netns', 'del', ns], check=False)
            if proc.returncode and ns in _run(
                    ['ip', 'netns', 'list'], check=False).stdout.split():
                errors.append('ip netns del %s: %s' % (ns, proc.stderr))
            else:
                self._namespaces.remove(ns)
        if self._bridge:
            proc = _run(['ip', 'link', 'del', self._bridge], check=False)
            if proc.returncode and _run(['ip', 'link', 'show',
                                         self._bridge],
                                        check=False).returncode == 0:
                errors.append('ip link del %s: %s' % (self._bridge,
                                                      proc.stderr))
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
        try:
            atexit.unregister(self.cleanup)
        except Exception:
            pass
        if errors:
            raise RuntimeError('test hosts cleanup: ' + '; '.join(errors))


def _python():
    # The test user must be able to run it: not a per-user shim under
    # /root, say.
    for path in ('/usr/bin/python3', '/usr/local/bin/python3'):
        if os.access(path, os.X_OK):
            return path
    return sys.executable


def _pids(ns):
    out = _run(['ip', 'netns', 'pids', ns], check=False).stdout
    return [int(p) for p in out.split() if p.isdigit()]


def _stop_namespace(ns):
    """Stop every process inside our namespace ns: TERM, then KILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _pids(ns)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_TIMEOUT / 2
        delay = 0.02
        while _pids(ns) and time.monotonic() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    if _pids(ns):
        raise RuntimeError('processes still running in %s: %s' % (
            ns, _pids(ns)))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def stale():
    """Namespaces and links left by test processes that no longer run.

    A test process killed outright (SIGKILL, a lost machine) cannot clean
    up; its names carry its pid, which tells what was left behind.
    """
    namespaces, links = [], []
    out = _run(['ip', 'netns', 'list'], check=False).stdout
    for line in out.splitlines():
        m = re.match(r'(tkh-(\d+)-\d+)\b', line)
        if m and not _alive(int(m.group(2))):
            namespaces.append(m.group(1))
    out = _run(['ip', '-o', 'link', 'show'], check=False).stdout
    for line in out.splitlines():
        m = re.match(r'\d+: (tk[bv]([0-9a-f]+)-[0-9a-f]+)[@:]', line)
        if m and not _alive(int(m.group(2), 16)):
            links.append(m.group(1))
    tmp = tempfile.gettempdir()
    dirs = [os.path.join(tmp, d) for d in os.listdir(tmp)
            if re.match(r'tacker-test-hosts-(\d+)-', d) and not _alive(
                int(d.split('-')[3]))]
    return namespaces, links, dirs


def remove_stale():
    """Remove what stale() finds; the names removed."""
    namespaces, links, dirs = stale()
    for ns in namespaces:
        _stop_namespace(ns)
        _run(['ip', 'netns', 'del', ns], check=False)
    for link in links:
        _run(['ip', 'link', 'del', link], check=False)
    for path in dirs:
        shutil.rmtree(path, ignore_errors=True)
    return namespaces + links + dirs
