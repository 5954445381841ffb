"""A fault-injecting reverse HTTP proxy to put in front of a VIM endpoint.

Failure tests of the LCM flows reach the VIM (Heat, the Kubernetes API
server, or our simulators of them) through this proxy, and tell it which
calls to break. The same tests then run unchanged against a simulator, the
OpenStack test cloud or a real cloud or cluster.

The proxy forwards every request (method, target, headers, body) to one
upstream base URL and relays the answer incrementally, so that Kubernetes
watch streams pass through as they come. It changes only the Host header
and the hop-by-hop headers; optionally it rewrites the upstream base URL
into its own in response bodies and Location headers (for a Keystone
catalog that points at the proxy).

Rules, checked in the order they were added, pick calls by method and by a
regular expression searched in the request target (path and query). Each
rule counts the calls it matches from the moment it was added; it applies
to matching call number ``nth`` (or from the first one with ``"every"``)
and to ``times`` calls from there (default: one call for a number, all
calls for ``"every"``). The first rule that applies to a call decides its
fate:

- ``fail``: answer ``status`` with ``body`` (a dict is sent as JSON) and
  ``content_type``, and optional extra ``headers``; the upstream never
  sees the call.
- ``delay``: wait ``seconds`` (or until released), then forward.
- ``hang``: read the request and never answer until the rule is released
  or removed, or the proxy stops; then close the connection (``then``:
  ``"drop"``, the default) or forward the call (``then``: ``"forward"``).
  The client's read timeout is what normally ends it.
- ``drop``: close the connection without an answer (``reset``: true sends
  a TCP reset instead of an orderly close).

Control, in-process: the :class:`FaultProxy` object (``add_rule``,
``fail``, ``delay``, ``hang``, ``drop``, ``rules``, ``remove_rule``,
``remove_rules``, ``release``, ``calls``, ``wait_for_calls``, ``reset``).
Over HTTP, under ``/__fault__`` (never forwarded), with the same verbs in
:class:`ControlClient`::

    GET    /__fault__/rules                 list rules with their counts
    POST   /__fault__/rules                 add a rule (JSON), 201 + rule
    GET    /__fault__/rules/<id>            one rule
    DELETE /__fault__/rules/<id>            remove one (releases its hangs)
    DELETE /__fault__/rules                 remove all
    POST   /__fault__/rules/<id>/release    release its hung/delayed calls
    GET    /__fault__/calls                 recent calls; filters method=,
                                            path_regex=, rule=, outcome=;
                                            wait_count=N&timeout=S waits
    DELETE /__fault__/calls                 clear the call log
    POST   /__fault__/reset                 remove rules, clear the log

As a process::

    python -m tacker.tests.fault_proxy --upstream URL [--port N]

prints its base URL on the first line of standard output; SIGTERM stops it.
In a test, :class:`FaultProxyFixture` gives ``base_url`` and ``proxy``.

TLS: an ``https`` upstream is verified with ``ca_file`` (the upstream's
CA, e.g. the simulator's or a cluster's). With ``tls=True`` (``--tls``)
the proxy itself serves HTTPS with a certificate of a CA of its own
(``ca_pem``; ``--tls-ca-file`` writes it), so that what the tests hand to
Tacker -- the proxy's URL and the proxy's CA -- is verified end to end as
a real endpoint's would be.

Not supported: protocol upgrades (WebSocket/SPDY, e.g. ``kubectl exec``),
forward-proxy (absolute-form) requests, rewriting compressed bodies.
"""
import argparse
import collections
import http.client
import http.server
import itertools
import json
import re
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

import fixtures

from tacker.tests import tls as tls_mod

CONTROL_PREFIX = '/__fault__'

ACTIONS = ('fail', 'delay', 'hang', 'drop')

# RFC 9110 section 7.6.1, plus the old proxy headers.
HOP_BY_HOP = frozenset((
    'connection', 'keep-alive', 'proxy-authenticate',
    'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'trailers',
    'transfer-encoding', 'upgrade'))

# Textual content types whose bodies the optional URL rewriting touches.
_TEXTUAL = re.compile(r'json|text|xml|yaml|javascript', re.I)

_CHUNK = 64 * 1024


def k8s_status(code, reason, message='', details=None):
    """A Kubernetes ``Status`` object, to use as the body of a failure."""
    status = {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
              'status': 'Failure', 'message': message, 'reason': reason,
              'code': code}
    if details is not None:
        status['details'] = details
    return status


def openstack_error(code, title, explanation=''):
    """An error body in the shape OpenStack services (Heat) answer."""
    return {'code': code, 'title': title, 'explanation': explanation,
            'error': {'type': title.replace(' ', ''), 'message': explanation,
                      'traceback': None}}


class Rule(object):
    """One fault rule and its counters (use it under the proxy's lock)."""

    def __init__(self, rule_id, action, method=None, path_regex='',
                 nth='every', times=None, status=500, body=None,
                 content_type=None, headers=None, seconds=0.0,
                 then='drop', reset=False):
        if action not in ACTIONS:
            raise ValueError('action must be one of %s' % ', '.join(ACTIONS))
        if nth != 'every' and not (isinstance(nth, int) and
                                   not isinstance(nth, bool) and nth >= 1):
            raise ValueError('nth must be a number from 1, or "every"')
        if times is not None and not (isinstance(times, int) and
                                      not isinstance(times, bool) and
                                      times >= 1):
            raise ValueError('times must be a number from 1, or null')
        if then not in ('drop', 'forward'):
            raise ValueError('then must be "drop" or "forward"')
        if method in (None, '', '*'):
            methods = None
        elif isinstance(method, str):
            methods = frozenset([method.upper()])
        else:
            methods = frozenset(m.upper() for m in method)
        if action == 'fail':
            if not (isinstance(status, int) and 100 <= status <= 599):
                raise ValueError('status must be an HTTP status code')
            if content_type is None:
                content_type = ('application/json'
                                if isinstance(body, (dict, list))
                                else 'text/plain; charset=utf-8')
        try:
            seconds = float(seconds)
        except (TypeError, ValueError):
            raise ValueError('seconds must be a number')
        if seconds < 0:
            raise ValueError('seconds must not be negative')
        try:
            self.regex = re.compile(path_regex or '')
        except re.error as exc:
            raise ValueError('path_regex: %s' % exc)
        self.id = rule_id
        self.action = action
        self.method = method
        self.methods = methods
        self.path_regex = path_regex or ''
        self.nth = nth
        self.times = times if times is not None or nth == 'every' else 1
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.seconds = seconds
        self.then = then
        self.reset = bool(reset)
        self.matched = 0
        self.applied = 0
        self.removed = False
        # One event per call the rule holds now (hang, delay).
        self.held = set()

    def matches(self, method, target):
        if self.methods is not None and method.upper() not in self.methods:
            return False
        return self.regex.search(target) is not None

    def in_window(self):
        """Whether the call just counted in ``matched`` is one to break."""
        first = 1 if self.nth == 'every' else self.nth
        if self.matched < first:
            return False
        return self.times is None or self.matched < first + self.times

    def body_bytes(self):
        if self.body is None:
            return b''
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode('utf-8')
        return json.dumps(self.body).encode('utf-8')

    def to_dict(self):
        return {'id': self.id, 'action': self.action, 'method': self.method,
                'path_regex': self.path_regex, 'nth': self.nth,
                'times': self.times, 'status': self.status,
                'body': (self.body.decode('utf-8', 'replace')
                         if isinstance(self.body, bytes) else self.body),
                'content_type': self.content_type, 'headers': self.headers,
                'seconds': self.seconds, 'then': self.then,
                'reset': self.reset, 'matched': self.matched,
                'applied': self.applied, 'waiting': len(self.held)}

    def release(self):
        for event in self.held:
            event.set()


_RULE_FIELDS = ('action', 'method', 'path_regex', 'nth', 'times', 'status',
                'body', 'content_type', 'headers', 'seconds', 'then',
                'reset')


class FaultProxy(object):
    """The proxy and its control object (thread-safe)."""

    def __init__(self, upstream, host='127.0.0.1', port=0, ca_file=None,
                 insecure=False, cert_file=None, key_file=None,
                 rewrite_urls=False, upstream_timeout=None, log_size=1000,
                 control_prefix=CONTROL_PREFIX, tls=False):
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme not in ('http', 'https') or not parsed.hostname:
            raise ValueError('upstream must be an http(s) URL: %r' % upstream)
        self.upstream = upstream.rstrip('/')
        self._scheme = parsed.scheme
        self._netloc = parsed.netloc
        self._up_host = parsed.hostname
        self._up_port = parsed.port or (443 if parsed.scheme == 'https'
                                        else 80)
        self._prefix = parsed.path.rstrip('/')
        self._ssl = None
        if parsed.scheme == 'https':
            self._ssl = ssl.create_default_context(cafile=ca_file)
            if insecure:
                self._ssl.check_hostname = False
                self._ssl.verify_mode = ssl.CERT_NONE
            if cert_file:
                self._ssl.load_cert_chain(cert_file, key_file)
        # Our own side: HTTPS with a CA of the proxy's own when asked, so
        # that clients verify the proxy as they would the real endpoint.
        self.ca = (tls_mod.CertificateAuthority('fault-proxy CA')
                   if tls else None)
        self.rewrite_urls = rewrite_urls
        self.upstream_timeout = upstream_timeout
        self.control_prefix = control_prefix.rstrip('/')
        self._host = host
        self._port = port
        self._cond = threading.Condition()
        self._rules = []
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)
        self._log = collections.deque(maxlen=log_size)
        self._stopping = threading.Event()
        self._sockets = set()
        self._server = None
        self._thread = None
        self.base_url = None

    @property
    def ca_pem(self):
        """The CA certificate our HTTPS side is signed by (or None)."""
        return self.ca.ca_pem if self.ca is not None else None

    # -- life cycle -------------------------------------------------------

    def start(self):
        handler = _make_handler(self)
        self._server = _Server((self._host, self._port), handler)
        host, port = self._server.server_address[:2]
        if self.ca is not None:
            self._server.ssl_context = self.ca.server_context(
                [host, 'localhost', '127.0.0.1'])
        if ':' in host:
            host = '[%s]' % host
        self.base_url = '%s://%s:%d' % (
            'https' if self.ca is not None else 'http', host, port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name='fault-proxy',
            kwargs={'poll_interval': 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving; release hung calls, cut open streams, join."""
        if self._server is None:
            return
        with self._cond:
            self._stopping.set()
            for rule in self._rules:
                rule.release()
            self._cond.notify_all()
        self._server.shutdown()
        with self._cond:
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)
        # Joins the handler threads (block_on_close).
        self._server.server_close()
        self._thread.join()
        self._server = None

    def _track(self, sock):
        with self._cond:
            self._sockets.add(sock)
        if self._stopping.is_set():
            _shutdown(sock)

    def _untrack(self, sock):
        with self._cond:
            self._sockets.discard(sock)

    # -- control ----------------------------------------------------------

    def add_rule(self, action, **kwargs):
        """Add a rule (see the module docstring); returns it as a dict."""
        unknown = set(kwargs) - set(_RULE_FIELDS)
        if unknown:
            raise ValueError('unknown rule fields: %s'
                             % ', '.join(sorted(unknown)))
        with self._cond:
            rule = Rule('r%d' % next(self._ids), action, **kwargs)
            self._rules.append(rule)
            return rule.to_dict()

    def fail(self, status=500, body=None, **kwargs):
        return self.add_rule('fail', status=status, body=body, **kwargs)

    def delay(self, seconds, **kwargs):
        return self.add_rule('delay', seconds=seconds, **kwargs)

    def hang(self, **kwargs):
        return self.add_rule('hang', **kwargs)

    def drop(self, **kwargs):
        return self.add_rule('drop', **kwargs)

    def rules(self):
        with self._cond:
            return [rule.to_dict() for rule in self._rules]

    def rule(self, rule_id):
        with self._cond:
            return self._find(rule_id).to_dict()

    def _find(self, rule_id):
        for rule in self._rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def remove_rule(self, rule_id):
        """Remove one rule; calls it holds (hang, delay) are released."""
        with self._cond:
            rule = self._find(rule_id)
            self._rules.remove(rule)
            rule.removed = True
            rule.release()
            self._cond.notify_all()

    def remove_rules(self):
        with self._cond:
            for rule in self._rules:
                rule.removed = True
                rule.release()
            self._rules = []
            self._cond.notify_all()

    def release(self, rule_id):
        """Release the calls a hang or delay rule holds now.

        A released hang ends as its ``then`` says; a released delay
        forwards at once. Later calls are held again.
        """
        with self._cond:
            self._find(rule_id).release()
            self._cond.notify_all()

    def calls(self, method=None, path_regex=None, rule=None, outcome=None):
        """Recent calls, oldest first, as dicts (copies)."""
        with self._cond:
            return self._select(method, path_regex, rule, outcome)

    def _select(self, method, path_regex, rule, outcome):
        regex = re.compile(path_regex) if path_regex else None
        found = []
        for entry in self._log:
            if method and entry['method'] != method.upper():
                continue
            if regex and not regex.search(entry['path']):
                continue
            if rule and entry['rule'] != rule:
                continue
            if outcome and entry['outcome'] != outcome:
                continue
            found.append(dict(entry))
        return found

    def wait_for_calls(self, count=1, timeout=10.0, method=None,
                       path_regex=None, rule=None, outcome=None):
        """Wait until ``count`` logged calls match; return them.

        Raises ``TimeoutError`` when they do not come in ``timeout``.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._select(method, path_regex, rule, outcome)
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self._stopping.is_set():
                    raise TimeoutError(
                        '%d of %d calls seen' % (len(found), count))
                self._cond.wait(left)

    def clear_calls(self):
        with self._cond:
            self._log.clear()

    def reset(self):
        """Remove every rule (releasing held calls) and clear the log."""
        self.remove_rules()
        self.clear_calls()

    # -- the data path ----------------------------------------------------

    def _begin(self, method, target):
        """Log a call and pick the rule that applies to it, if any."""
        with self._cond:
            chosen = None
            for rule in self._rules:
                if not rule.matches(method, target):
                    continue
                rule.matched += 1
                if chosen is None and rule.in_window():
                    chosen = rule
                    rule.applied += 1
            entry = {'seq': next(self._seq), 'method': method.upper(),
                     'path': target,
                     'rule': chosen.id if chosen else None,
                     'action': chosen.action if chosen else None,
                     'status': None, 'outcome': 'pending',
                     'forwarded': False, 'error': None}
            self._log.append(entry)
            self._cond.notify_all()
            return entry, chosen

    def _update(self, entry, **changes):
        with self._cond:
            entry.update(changes)
            self._cond.notify_all()

    def _hold(self, rule, entry, outcome, seconds=None):
        """Block while a rule holds a call; True unless the proxy stops."""
        event = threading.Event()
        with self._cond:
            if self._stopping.is_set():
                return False
            if rule.removed:
                return True
            rule.held.add(event)
            entry['outcome'] = outcome
            self._cond.notify_all()
        try:
            event.wait(seconds)
        finally:
            with self._cond:
                rule.held.discard(event)
                self._cond.notify_all()
        return not self._stopping.is_set()

    def _connect(self):
        if self._ssl is not None:
            return http.client.HTTPSConnection(
                self._up_host, self._up_port, timeout=self.upstream_timeout,
                context=self._ssl)
        return http.client.HTTPConnection(
            self._up_host, self._up_port, timeout=self.upstream_timeout)

    def _rewrite(self, data):
        return data.replace(self.upstream.encode('utf-8'),
                            self.base_url.encode('utf-8'))


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Server(tls_mod.TLSServerMixin, http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True


def _read_body(handler):
    """The request body: by Content-Length, or chunked (decoded)."""
    encoding = handler.headers.get('Transfer-Encoding', '').lower()
    if 'chunked' in encoding:
        parts = []
        while True:
            line = handler.rfile.readline(65537)
            size = int(line.split(b';', 1)[0].strip() or b'0', 16)
            if size == 0:
                # Trailers, up to the empty line.
                while handler.rfile.readline(65537) not in (b'\r\n', b'\n',
                                                            b''):
                    pass
                return b''.join(parts), True
            parts.append(handler.rfile.read(size))
            handler.rfile.readline(65537)
    length = int(handler.headers.get('Content-Length') or 0)
    return (handler.rfile.read(length) if length else b''), False


def _connection_tokens(headers):
    tokens = set()
    for value in headers.get_all('Connection') or ():
        tokens.update(t.strip().lower() for t in value.split(','))
    return tokens


def _make_handler(proxy):

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        server_version = 'fault-proxy'

        def log_message(self, *args):
            pass

        def setup(self):
            super().setup()
            proxy._track(self.connection)

        def finish(self):
            try:
                super().finish()
            finally:
                proxy._untrack(self.connection)

        def handle(self):
            if tls_mod.handshake(self.connection):
                super().handle()

        def handle_one_request(self):
            try:
                super().handle_one_request()
            except OSError:
                self.close_connection = True

        # Every method goes the same way.
        def __getattr__(self, name):
            if name.startswith('do_'):
                return self._dispatch
            raise AttributeError(name)

        def _dispatch(self):
            target = self.path
            prefix = proxy.control_prefix
            if target == prefix or target.startswith(prefix + '/') or \
                    target.startswith(prefix + '?'):
                self._control(target[len(prefix):])
            else:
                self._proxy(target)

        # -- answers of our own --------------------------------------

        def _answer(self, status, body=b'', content_type=None,
                    headers=None):
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode('utf-8')
                content_type = content_type or 'application/json'
            self.send_response(status)
            if content_type and body:
                self.send_header('Content-Type', content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            if self.command != 'HEAD' and body:
                self.wfile.write(body)
            self.wfile.flush()

        # -- the control API -----------------------------------------

        def _control(self, rest):
            body, _ = _read_body(self)
            url = urllib.parse.urlsplit(rest)
            parts = [p for p in url.path.split('/') if p]
            query = dict(urllib.parse.parse_qsl(url.query))
            method = self.command
            try:
                status, answer = self._control_route(method, parts, query,
                                                     body)
            except KeyError as exc:
                status, answer = 404, {'error': 'no rule %s' % exc}
            except ValueError as exc:
                status, answer = 400, {'error': str(exc)}
            except TimeoutError as exc:
                status, answer = 408, {'error': str(exc)}
            if status == 204:
                self._answer(204)
            else:
                self._answer(status, answer)

        def _control_route(self, method, parts, query, body):
            if parts == ['rules']:
                if method == 'GET':
                    return 200, proxy.rules()
                if method == 'POST':
                    try:
                        spec = json.loads(body or b'{}')
                    except ValueError:
                        raise ValueError('the rule must be a JSON object')
                    if not isinstance(spec, dict):
                        raise ValueError('the rule must be a JSON object')
                    spec = dict(spec)
                    action = spec.pop('action', None)
                    return 201, proxy.add_rule(action, **spec)
                if method == 'DELETE':
                    proxy.remove_rules()
                    return 204, None
            elif len(parts) == 2 and parts[0] == 'rules':
                if method == 'GET':
                    return 200, proxy.rule(parts[1])
                if method == 'DELETE':
                    proxy.remove_rule(parts[1])
                    return 204, None
            elif len(parts) == 3 and parts[0] == 'rules' and \
                    parts[2] == 'release' and method == 'POST':
                proxy.release(parts[1])
                return 200, proxy.rule(parts[1])
            elif parts == ['calls']:
                if method == 'GET':
                    filters = {k: query.get(k) for k in
                               ('method', 'path_regex', 'rule', 'outcome')}
                    if 'wait_count' in query:
                        return 200, proxy.wait_for_calls(
                            int(query['wait_count']),
                            float(query.get('timeout', 10)), **filters)
                    return 200, proxy.calls(**filters)
                if method == 'DELETE':
                    proxy.clear_calls()
                    return 204, None
            elif parts == ['reset'] and method == 'POST':
                proxy.reset()
                return 204, None
            else:
                return 404, {'error': 'unknown control path'}
            return 405, {'error': 'method not allowed'}

        # -- the data path -------------------------------------------

        def _proxy(self, target):
            body, was_chunked = _read_body(self)
            entry, rule = proxy._begin(self.command, target)
            if rule is not None:
                if rule.action == 'fail':
                    # The log is right before the client has the answer.
                    proxy._update(entry, status=rule.status,
                                  outcome='answered')
                    self._answer(rule.status, rule.body_bytes(),
                                 rule.content_type, dict(rule.headers))
                    return
                if rule.action == 'drop':
                    proxy._update(entry, outcome='dropped')
                    self._drop(rule.reset)
                    return
                if rule.action == 'hang':
                    going_on = proxy._hold(rule, entry, 'hung')
                    if not going_on or rule.then == 'drop':
                        proxy._update(entry, outcome='released')
                        self._drop(False)
                        return
                if rule.action == 'delay':
                    if not proxy._hold(rule, entry, 'delayed', rule.seconds):
                        proxy._update(entry, outcome='released')
                        self._drop(False)
                        return
            self._forward(target, body, was_chunked, entry)

        def _drop(self, reset):
            self.close_connection = True
            if reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack('ii', 1, 0))
                self.connection.close()
            else:
                _shutdown(self.connection)

        def _forward(self, target, body, was_chunked, entry):
            proxy._update(entry, outcome='forwarding')
            drop = _connection_tokens(self.headers) | HOP_BY_HOP | {
                'host', 'expect'}
            if was_chunked:
                drop.add('content-length')
            conn = proxy._connect()
            try:
                try:
                    conn.putrequest(self.command, proxy._prefix + target,
                                    skip_host=True,
                                    skip_accept_encoding=True)
                    conn.putheader('Host', proxy._netloc)
                    for name, value in self.headers.items():
                        if name.lower() not in drop:
                            conn.putheader(name, value)
                    if was_chunked or (
                            body and 'Content-Length' not in self.headers):
                        conn.putheader('Content-Length', str(len(body)))
                    conn.endheaders(body or None)
                    proxy._track(conn.sock)
                    proxy._update(entry, forwarded=True)
                    response = conn.getresponse()
                except (OSError, http.client.HTTPException) as exc:
                    proxy._update(entry, status=502, outcome='error',
                                  error=str(exc))
                    self._answer(502, {'error': 'upstream: %s' % exc})
                    return
                self._relay(response, entry)
            finally:
                if conn.sock is not None:
                    proxy._untrack(conn.sock)
                conn.close()

        def _relay(self, response, entry):
            status = response.status
            headers = response.msg
            drop = _connection_tokens(headers) | HOP_BY_HOP
            no_body = (self.command == 'HEAD' or status in (204, 304) or
                       100 <= status < 200)
            content_type = headers.get('Content-Type', '')
            encoded = headers.get('Content-Encoding', 'identity').lower()
            rewrite = (proxy.rewrite_urls and not no_body and
                       _TEXTUAL.search(content_type) and
                       encoded == 'identity')
            length = headers.get('Content-Length')
            buffered = None
            if rewrite and length is not None:
                # A rewritten body has another length: read it whole.
                buffered = proxy._rewrite(response.read())
            self.send_response_only(status, response.reason)
            for name, value in headers.items():
                lower = name.lower()
                if lower in drop:
                    continue
                if lower == 'content-length' and (
                        buffered is not None or length is None):
                    continue
                if proxy.rewrite_urls and lower in ('location',
                                                    'content-location'):
                    value = value.replace(proxy.upstream, proxy.base_url)
                self.send_header(name, value)
            chunked = False
            if no_body:
                pass
            elif buffered is not None:
                self.send_header('Content-Length', str(len(buffered)))
            elif length is None:
                if self.request_version == 'HTTP/1.1':
                    chunked = True
                    self.send_header('Transfer-Encoding', 'chunked')
                else:
                    self.close_connection = True
            if response.will_close and length is None and not chunked:
                self.close_connection = True
            if self.close_connection:
                self.send_header('Connection', 'close')
            # The log says "answered" before the client can have the last
            # byte, so that a test reading it after its call sees it.
            done = buffered is not None or no_body
            proxy._update(entry, status=status,
                          outcome='answered' if done else 'streaming')
            try:
                self.end_headers()
                if buffered is not None:
                    self.wfile.write(buffered)
                elif not no_body:
                    self._copy(response, chunked, rewrite, entry)
                self.wfile.flush()
            except (OSError, http.client.HTTPException) as exc:
                # The client or the upstream went away mid-answer.
                self.close_connection = True
                proxy._update(entry, outcome='cut', error=str(exc))

        def _copy(self, response, chunked, rewrite, entry):
            while True:
                data = response.read1(_CHUNK)
                if not data:
                    break
                if rewrite:
                    # Per piece: a URL split across pieces stays as is.
                    data = proxy._rewrite(data)
                if response.length == 0:
                    # The last piece of a body of known length.
                    proxy._update(entry, outcome='answered')
                if chunked:
                    self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))
                else:
                    self.wfile.write(data)
                self.wfile.flush()
            if entry['outcome'] == 'streaming':
                proxy._update(entry, outcome='answered')
            if chunked:
                self.wfile.write(b'0\r\n\r\n')

    return Handler


class ControlClient(object):
    """Drives a proxy's HTTP control API (e.g. one in another process)."""

    def __init__(self, base_url, timeout=10.0, ca_file=None):
        import requests
        self._session = requests.Session()
        # Per request: requests lets REQUESTS_CA_BUNDLE override a
        # session's verify.
        self._verify = ca_file or True
        self._url = base_url.rstrip('/') + CONTROL_PREFIX
        self.timeout = timeout

    def _call(self, method, path, timeout=None, **kwargs):
        response = self._session.request(
            method, self._url + path, timeout=timeout or self.timeout,
            verify=self._verify, **kwargs)
        if response.status_code == 404 and path.startswith('/rules/'):
            raise KeyError(path.split('/')[2])
        if response.status_code == 400:
            raise ValueError(response.json()['error'])
        if response.status_code == 408:
            raise TimeoutError(response.json()['error'])
        response.raise_for_status()
        return response.json() if response.content else None

    def add_rule(self, action, **kwargs):
        return self._call('POST', '/rules', json=dict(kwargs, action=action))

    def fail(self, status=500, body=None, **kwargs):
        return self.add_rule('fail', status=status, body=body, **kwargs)

    def delay(self, seconds, **kwargs):
        return self.add_rule('delay', seconds=seconds, **kwargs)

    def hang(self, **kwargs):
        return self.add_rule('hang', **kwargs)

    def drop(self, **kwargs):
        return self.add_rule('drop', **kwargs)

    def rules(self):
        return self._call('GET', '/rules')

    def rule(self, rule_id):
        return self._call('GET', '/rules/%s' % rule_id)

    def remove_rule(self, rule_id):
        self._call('DELETE', '/rules/%s' % rule_id)

    def remove_rules(self):
        self._call('DELETE', '/rules')

    def release(self, rule_id):
        self._call('POST', '/rules/%s/release' % rule_id)

    def calls(self, **filters):
        params = {k: v for k, v in filters.items() if v is not None}
        return self._call('GET', '/calls', params=params)

    def wait_for_calls(self, count=1, timeout=10.0, **filters):
        params = {k: v for k, v in filters.items() if v is not None}
        params.update(wait_count=count, timeout=timeout)
        return self._call('GET', '/calls', params=params,
                          timeout=timeout + self.timeout)

    def clear_calls(self):
        self._call('DELETE', '/calls')

    def reset(self):
        self._call('POST', '/reset')

    def close(self):
        self._session.close()


class FaultProxyFixture(fixtures.Fixture):
    """A started proxy; ``base_url``, ``proxy`` (the control object)."""

    def __init__(self, upstream, **options):
        super().__init__()
        self.upstream = upstream
        self.options = options
        self.proxy = None
        self.base_url = None

    def _setUp(self):
        self.proxy = FaultProxy(self.upstream, **self.options).start()
        self.addCleanup(self.proxy.stop)
        self.base_url = self.proxy.base_url

    @property
    def control(self):
        return self.proxy


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m tacker.tests.fault_proxy',
        description='A fault-injecting reverse proxy for one upstream.')
    parser.add_argument('--upstream', required=True,
                        help='base URL to forward to (http or https)')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0,
                        help='port to listen on (0: a free one)')
    parser.add_argument('--ca-file', help='CA bundle for an https upstream')
    parser.add_argument('--insecure', action='store_true',
                        help='do not verify an https upstream')
    parser.add_argument('--cert-file', help='client certificate')
    parser.add_argument('--key-file', help='client key')
    parser.add_argument('--tls', action='store_true',
                        help='serve HTTPS with a CA of our own; its '
                             'certificate is written to --tls-ca-file')
    parser.add_argument('--tls-ca-file',
                        help='where to write our CA certificate (PEM)')
    parser.add_argument('--rewrite-urls', action='store_true',
                        help='rewrite the upstream base URL into ours in '
                             'response bodies and Location headers')
    args = parser.parse_args(argv)
    proxy = FaultProxy(args.upstream, host=args.host, port=args.port,
                       ca_file=args.ca_file, insecure=args.insecure,
                       cert_file=args.cert_file, key_file=args.key_file,
                       rewrite_urls=args.rewrite_urls, tls=args.tls)
    if args.tls and args.tls_ca_file:
        with open(args.tls_ca_file, 'w') as f:
            f.write(proxy.ca_pem)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    proxy.start()
    print(proxy.base_url, flush=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        proxy.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
