"""What the sample CoordinateVNF scripts share: SSH, HTTP checks, haproxy.

Loaded by coordinate_new_vnf.py and coordinate_old_vnf.py from the same
directory; not a CoordinateVNF script itself.

Host keys (no silent trust): a parameter dict (``new_vnfc_param``,
``old_vnfc_param``, ``external_lb_param``) may carry ``host_key``, either a
fingerprint as ``ssh-keygen -l`` prints it (``SHA256:...``) or a public key
line (``ssh-ed25519 AAAA...``).  When it is given, the host must present
that key or the script fails.  When it is not, the key is accepted and
its fingerprint printed ("seen"), so that an operator can pin it next time.

Timeouts: ``connect_timeout`` (TCP connect, SSH banner and authentication,
default 10 s) and ``command_timeout`` (each remote command and each HTTP
check, default 30 s), from the same dict.  ``ready_timeout`` is how long a
VNFC may take to become reachable: a server that Heat reports created may
still be booting, so its SSH login (connection refused, no route, no
answer) and its application check are retried with a short backoff until
then (default 0: one attempt).  A wrong password or host key is never
retried.

Passwords are never printed nor put in an exception's message.
"""
import base64
import hashlib
import re
import shlex
import socket
import time

import paramiko

CONNECT_TIMEOUT = 10
COMMAND_TIMEOUT = 30
SERVER_LINE = re.compile(r'^\s*server\s+(\S+)\s+([^\s:]+):(\d+)', re.M)


class ScriptError(Exception):
    """A failure with a message fit for the operation's error.detail."""


def fingerprint(key):
    """``SHA256:...`` of a paramiko key, as ssh-keygen -l shows it."""
    digest = base64.b64encode(hashlib.sha256(key.asbytes()).digest())
    return 'SHA256:' + digest.decode().rstrip('=')


class HostKeyCheck(paramiko.MissingHostKeyPolicy):
    """Require the expected host key when one is given; else log it."""

    def __init__(self, expected, role):
        self.expected = (expected or '').strip() or None
        self.role = role

    def missing_host_key(self, client, hostname, key):
        seen = fingerprint(key)
        if self.expected is None:
            print('%s %s: host key not pinned, accepted %s %s' % (
                self.role, hostname, key.get_name(), seen))
            return
        if self.expected.startswith('SHA256:'):
            ok = self.expected.rstrip('=') == seen
        else:
            fields = self.expected.split()
            ok = len(fields) >= 2 and fields[0] == key.get_name() and (
                fields[1] == key.get_base64())
        if not ok:
            raise ScriptError(
                '%s %s presented host key %s %s, not the expected %s; '
                'refusing to log in' % (self.role, hostname, key.get_name(),
                                        seen, self.expected))
        print('%s %s: host key %s matches' % (self.role, hostname, seen))


def _number(param, key, default, zero_ok=False):
    value = param.get(key, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ScriptError('%s must be a number of seconds, not %r' % (
            key, value))
    if value < 0 or (value == 0 and not zero_ok):
        raise ScriptError('%s must be positive' % key)
    return value


class Backoff(object):
    """Short, growing pauses until a deadline (no fixed sleep)."""

    def __init__(self, timeout, first=0.05, longest=1.0):
        self.deadline = time.monotonic() + timeout
        self.delay = first
        self.longest = longest

    def pause(self):
        """Wait a little; False (without waiting) once the time is up."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(self.delay, left))
        self.delay = min(self.delay * 2, self.longest)
        return True


class _NotYetReachable(ScriptError):
    """Nothing answers yet: worth another try while a VNFC boots."""


class Session(object):
    """One SSH login; use as a context manager."""

    def __init__(self, address, param, role):
        self.address = address
        self.role = role
        self.username = param.get('username')
        if not self.username or param.get('password') is None:
            raise ScriptError('%s %s: username and password are required' % (
                role, address))
        self.port = int(param.get('ssh_port', 22))
        self.connect_timeout = _number(param, 'connect_timeout',
                                       CONNECT_TIMEOUT)
        self.command_timeout = _number(param, 'command_timeout',
                                       COMMAND_TIMEOUT)
        self.ready_timeout = _number(param, 'ready_timeout', 0,
                                     zero_ok=True)
        self.where = '%s %s@%s:%d' % (role, self.username, address,
                                      self.port)
        backoff = Backoff(self.ready_timeout)
        attempts = 0
        while True:
            attempts += 1
            try:
                self.client = self._connect(param)
                break
            except _NotYetReachable as e:
                if not backoff.pause():
                    more = (' (tried %d times in %ss)' % (
                        attempts, self.ready_timeout)
                        if attempts > 1 else '')
                    raise ScriptError(str(e) + more)
        if attempts > 1:
            print('%s: reachable after %d attempts' % (self.where,
                                                       attempts))

    def _connect(self, param):
        client = paramiko.SSHClient()
        # No known_hosts file is read: every key goes through the policy.
        client.set_missing_host_key_policy(
            HostKeyCheck(param.get('host_key'), self.role))
        t = self.connect_timeout
        try:
            client.connect(
                self.address, port=self.port, username=self.username,
                password=param['password'], timeout=t, banner_timeout=t,
                auth_timeout=t, allow_agent=False, look_for_keys=False)
        except ScriptError:
            client.close()
            raise
        except paramiko.AuthenticationException:
            client.close()
            raise ScriptError('%s: SSH authentication failed (wrong username '
                              'or password?)' % self.where)
        except (socket.timeout, TimeoutError):
            client.close()
            raise _NotYetReachable('%s: no answer within the connect '
                                   'timeout (%ss)' % (self.where, t))
        except (paramiko.SSHException, OSError) as e:
            client.close()
            raise _NotYetReachable('%s: cannot connect: %s' % (
                self.where, ' '.join(str(e).split()) or type(e).__name__))
        return client

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def run(self, command, stdin=None, check=True):
        """Run command; its stdout as text.  Fails on a non-zero exit."""
        timeout = self.command_timeout
        deadline = time.monotonic() + timeout
        try:
            chan = self.client.get_transport().open_session(timeout=timeout)
            chan.exec_command(command)
            if stdin is not None:
                chan.sendall(stdin.encode())
            chan.shutdown_write()
            out, err = [], []
            while True:
                if chan.recv_ready():
                    out.append(chan.recv(65536))
                elif chan.recv_stderr_ready():
                    err.append(chan.recv_stderr(65536))
                elif chan.exit_status_ready():
                    break
                elif time.monotonic() >= deadline:
                    chan.close()
                    raise ScriptError('%s: %r did not finish within %ss' % (
                        self.where, command, timeout))
                else:
                    # Wakes as soon as the exit status arrives.
                    chan.status_event.wait(min(0.05, timeout))
            while chan.recv_ready():
                out.append(chan.recv(65536))
            while chan.recv_stderr_ready():
                err.append(chan.recv_stderr(65536))
            status = chan.recv_exit_status()
        except (paramiko.SSHException, OSError) as e:
            raise ScriptError('%s: %r failed: %s' % (
                self.where, command, ' '.join(str(e).split())))
        text = b''.join(out).decode('utf-8', 'replace')
        if check and status != 0:
            detail = ' '.join(b''.join(err).decode(
                'utf-8', 'replace').split())[-500:]
            raise ScriptError('%s: %r exited with status %d: %s' % (
                self.where, command, status, detail or '(no message)'))
        return text

    def http_get(self, host, port, path='/'):
        """GET http://host:port/path through this SSH connection.

        A direct-tcpip channel opened by the remote sshd: the check needs
        no curl on the remote side.  Returns (status, body).
        """
        timeout = self.command_timeout
        target = '%s:%s%s' % (host, port, path)
        try:
            chan = self.client.get_transport().open_channel(
                'direct-tcpip', (host, int(port)), ('127.0.0.1', 0),
                timeout=timeout)
        except paramiko.ChannelException as e:
            raise ScriptError('%s: nothing answers on %s (%s)' % (
                self.where, target, e))
        except (paramiko.SSHException, OSError) as e:
            raise ScriptError('%s: cannot open a channel to %s: %s' % (
                self.where, target, e))
        try:
            chan.settimeout(timeout)
            chan.sendall(('GET %s HTTP/1.0\r\nHost: %s\r\n'
                          'Connection: close\r\n\r\n' % (path, host)).encode())
            data = []
            while True:
                chunk = chan.recv(65536)
                if not chunk:
                    break
                data.append(chunk)
        except (socket.timeout, TimeoutError):
            raise ScriptError('%s: %s gave no full answer within %ss' % (
                self.where, target, timeout))
        finally:
            chan.close()
        raw = b''.join(data).decode('utf-8', 'replace')
        head, _, body = raw.partition('\r\n\r\n')
        m = re.match(r'HTTP/\d\.\d (\d{3})', head)
        if not m:
            raise ScriptError('%s: %s did not answer HTTP' % (
                self.where, target))
        return int(m.group(1)), body


# -- the request -------------------------------------------------------------

def vdu_params(request):
    """vdu_id -> its vdu_params item."""
    found = {}
    for item in request.get('vduParams') or []:
        if isinstance(item, dict) and item.get('vdu_id'):
            found[item['vdu_id']] = item
    return found


def vnfcs(request, side):
    """The VNFCs of one side, from request['resources'].

    Accepted shapes (the Blue-Green flow gives newVnfcs / oldVnfcs, the
    Rolling flow one updated ``vnfc``)::

        {"newVnfcs": [VNFC ...], "oldVnfcs": [VNFC ...]}
        {"vnfcs": [VNFC ...], "oldVnfcs": [VNFC ...]}   (vnfcs: new ones)
        {"vnfc": VNFC}                                  (Rolling update)

    with VNFC = {"vduId": "VDU1", "serverId" (or "id"): "...",
                 "cpAddresses": {"VDU1_CP1": ["198.51.100.11"]},
                 "addresses": ["198.51.100.11"]}

    ``cpAddresses`` (the fixed IPs of each connection point, as Tacker
    gives them) is preferred; ``addresses`` may also be keyed by CP name
    (a text or a list per CP), or be a plain list, of which the first IPv4
    address is then used.
    """
    res = request.get('resources') or {}
    if res.get('vnfc'):
        return [res['vnfc']]
    if side == 'new':
        return list(res.get('newVnfcs', res.get('vnfcs')) or [])
    return list(res.get('oldVnfcs') or [])


def vnfc_id(vnfc):
    return vnfc.get('serverId') or vnfc.get('id') or vnfc.get('name') or '?'


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _first_v4(addresses):
    return next((a for a in addresses if a and ':' not in a), None)


def address_of(vnfc, cp_name):
    """The VNFC's (IPv4) address on connection point cp_name."""
    what = 'VNFC %s of %s' % (vnfc_id(vnfc), vnfc.get('vduId'))
    for key in ('cpAddresses', 'addresses'):
        keyed = vnfc.get(key)
        if not isinstance(keyed, dict):
            continue
        if cp_name not in keyed:
            raise ScriptError('%s has no address on %s (it has: %s)' % (
                what, cp_name, ', '.join(sorted(keyed)) or 'none'))
        found = _first_v4(_as_list(keyed[cp_name]))
        if not found:
            raise ScriptError('%s has no IPv4 address on %s' % (what,
                                                                cp_name))
        return found
    v4 = [a for a in _as_list(vnfc.get('addresses')) if a and ':' not in a]
    if not v4:
        raise ScriptError('%s has no IPv4 address' % what)
    if len(v4) > 1:
        print('%s: addresses %s are not per connection point; using %s '
              'for %s' % (what, ', '.join(v4), v4[0], cp_name))
    return v4[0]


def all_addresses(vnfc):
    """Every address the request gives for the VNFC, in any shape."""
    found = set()
    for key in ('cpAddresses', 'addresses'):
        value = vnfc.get(key)
        if isinstance(value, dict):
            for item in value.values():
                found.update(_as_list(item))
        else:
            found.update(_as_list(value))
    return found


def backends_of(request, side):
    """[(address, app_port)] of a side's VNFCs, as the LB should name them.

    The CP and port of a VNFC come from its VDU's parameters for that
    side (``old_vnfc_param`` / ``new_vnfc_param``), or else from the other
    side's: putting an old VNFC back needs no login to it.  VNFCs of VDUs
    with neither are not behind the load balancer.
    """
    params = vdu_params(request)
    keys = ['%s_vnfc_param' % side,
            '%s_vnfc_param' % ('old' if side == 'new' else 'new')]
    found = []
    for vnfc in vnfcs(request, side):
        item = params.get(vnfc.get('vduId')) or {}
        param = next((item[k] for k in keys if item.get(k)), None)
        if not param:
            continue
        if not param.get('cp_name'):
            raise ScriptError('vdu_params of %s need cp_name' %
                              vnfc.get('vduId'))
        server = (address_of(vnfc, param['cp_name']),
                  int(param.get('app_port', 80)))
        if server not in found:
            found.append(server)
    return found


def targets(request, side, param_key):
    """[(vnfc, address, param)] of the VNFCs whose VDU has param_key."""
    params = vdu_params(request)
    found = []
    for vnfc in vnfcs(request, side):
        item = params.get(vnfc.get('vduId')) or {}
        param = item.get(param_key)
        if not param:
            print('VNFC %s of %s: no %s given, left alone' % (
                vnfc_id(vnfc), vnfc.get('vduId'), param_key))
            continue
        if not param.get('cp_name'):
            raise ScriptError('%s of %s needs cp_name' % (
                param_key, vnfc.get('vduId')))
        found.append((vnfc, address_of(vnfc, param['cp_name']), param))
    return found


# -- the load balancer -------------------------------------------------------

class LoadBalancer(object):
    """haproxy behind SSH, as external_lb_param describes it.

    external_lb_param: ip_address, username, password, host_key,
    ssh_port (22), frontend_port (80), backends_file (relative to the
    login's home, default haproxy/50-backends.cfg: a file holding only
    the backend section, which the scripts own and rewrite whole),
    backend_name (vnfcs), reload_command (bin/reload-haproxy: checks the
    configuration and restarts haproxy with -sf), switch_timeout (30 s).
    """

    def __init__(self, request):
        param = request.get('externalLbParam')
        if not param or not param.get('ip_address'):
            raise ScriptError('external_lb_param with ip_address, username '
                              'and password is required')
        self.param = param
        self.address = param['ip_address']
        self.file = param.get('backends_file', 'haproxy/50-backends.cfg')
        self.name = param.get('backend_name', 'vnfcs')
        self.reload_command = param.get('reload_command',
                                        'bin/reload-haproxy')
        self.frontend_port = int(param.get('frontend_port', 80))
        self.switch_timeout = _number(param, 'switch_timeout', 30)
        self.comment = 'lcmOpOcc %s' % request.get('lcmOpOccId')

    def connect(self):
        return Session(self.address, self.param, 'load balancer')

    def servers(self, ssh):
        """[(address, port)] of the backend file's server lines."""
        text = ssh.run('cat %s' % shlex.quote(self.file))
        return [(m.group(2), int(m.group(3)))
                for m in SERVER_LINE.finditer(text)]

    def write(self, ssh, servers):
        """Rewrite the backend file with servers and reload haproxy."""
        lines = ['# written by the CoordinateVNF scripts (%s)' % self.comment,
                 'backend %s' % self.name, '    balance roundrobin']
        for i, (address, port) in enumerate(servers, 1):
            lines.append('    server vnfc%d %s:%d' % (i, address, port))
        path = shlex.quote(self.file)
        ssh.run('cat > %s.new && mv %s.new %s' % (path, path, path),
                stdin='\n'.join(lines) + '\n')
        ssh.run(self.reload_command)
        print('load balancer %s: backends now %s, reloaded' % (
            self.address, ', '.join('%s:%d' % s for s in servers) or 'none'))

    def backend_answers(self, ssh, servers, path='/'):
        """The bodies the backends answer, asked from the LB host itself.

        Through the LB's SSH connection: what haproxy will get from them,
        without logging in to any backend.
        """
        bodies = set()
        for address, port in servers:
            try:
                status, body = ssh.http_get(address, port, path)
            except ScriptError as e:
                raise ScriptError('load balancer %s: backend %s:%d does not '
                                  'answer (%s)' % (self.address, address,
                                                   port, e))
            if status != 200:
                raise ScriptError(
                    'load balancer %s: backend %s:%d answers %s %s' % (
                        self.address, address, port, status,
                        ' '.join(body.split())[:200]))
            bodies.add(body)
        return bodies

    def wait_serving(self, ssh, bodies, count):
        """Until count answers in a row through the frontend are in bodies.

        bodies are what the new VNFCs answered themselves; the wait is
        bounded by switch_timeout.
        """
        deadline = time.monotonic() + self.switch_timeout
        row, last = 0, None
        delay = 0.05
        while True:
            try:
                last = ssh.http_get(self.address, self.frontend_port)
            except ScriptError as e:
                last = (None, str(e))
            row = row + 1 if last[0] == 200 and last[1] in bodies else 0
            if row >= count:
                return
            if time.monotonic() >= deadline:
                raise ScriptError(
                    'load balancer %s:%d does not serve the new VNFCs '
                    'within %ss; last answer: %s %s' % (
                        self.address, self.frontend_port,
                        self.switch_timeout, last[0],
                        ' '.join(last[1].split())[:200]))
            if row == 0:
                time.sleep(delay)
                delay = min(delay * 2, 1)
