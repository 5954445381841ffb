"""HTTP front end: authentication, routing, JSON bodies and chunked watch
streams."""
import http.server
import json
import ssl
import time
import urllib.parse

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import errors
from tacker.tests import tls

DEFAULT_WATCH_SECONDS = 1800
_OPEN_PATHS = ('/healthz', '/livez', '/readyz')


class Route:
    def __init__(self, res, namespace=None, name=None, subresource=None):
        self.res = res
        self.namespace = namespace
        self.name = name
        self.subresource = subresource


def resolve(segments):
    """A resource path's parts (after /api/v1 or /apis/G/V) → Route."""
    if segments[0] == 'api':
        group, version, rest = '', segments[1], segments[2:]
    else:
        group, version, rest = segments[1], segments[2], segments[3:]
    if not rest:
        return None
    if (rest[0] == 'namespaces' and len(rest) >= 3
            and ar.lookup(group, version, rest[2]) is not None):
        res = ar.lookup(group, version, rest[2])
        namespace, rest = rest[1], rest[3:]
        if not res.namespaced:
            return None
    else:
        res = ar.lookup(group, version, rest[0])
        namespace, rest = None, rest[1:]
        if res is None or (res.namespaced and rest):
            return None
    if len(rest) > 2 or (len(rest) == 2 and rest[1] not in
                         res.subresources):
        return None
    return Route(res, namespace, *rest)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'k8s-simulator'
    sim = None  # set on a subclass by the Simulator

    def log_message(self, fmt, *args):
        if self.sim.verbose:
            super().log_message(fmt, *args)

    def handle(self):
        if tls.handshake(self.connection):
            super().handle()

    def _authenticated(self):
        """A bearer token, or a client certificate of the cluster's CA.

        As the API server's x509 authenticator: the user is the CN.
        """
        if self.headers.get('Authorization') == 'Bearer ' + self.sim.token:
            return True
        return tls.peer_common_name(self.connection) is not None

    # -- plumbing --------------------------------------------------------

    def _send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        self._raw = self.rfile.read(length) if length else b''

    def _body(self):
        if not self._raw:
            return None
        try:
            return json.loads(self._raw)
        except ValueError as exc:
            raise errors.bad_request(
                'error decoding the request body as JSON: %s' % exc)

    def _dispatch(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path.rstrip('/') or '/'
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(
            parsed.query, keep_blank_values=True).items()}
        self._read_body()
        try:
            if path in _OPEN_PATHS:
                data = b'ok'
                self.send_response(200)
                self.send_header('Content-Type', 'text/plain')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if not self._authenticated():
                raise errors.unauthorized()
            self.sim.count_request(method, path)
            code, body = self._handle(method, path, query)
            if body is not None:
                self._send_json(code, body)
        except errors.ApiError as exc:
            self._send_json(exc.code, exc.body())
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self):
        self._dispatch('GET')

    def do_POST(self):
        self._dispatch('POST')

    def do_PUT(self):
        self._dispatch('PUT')

    def do_PATCH(self):
        self._dispatch('PATCH')

    def do_DELETE(self):
        self._dispatch('DELETE')

    # -- routing ---------------------------------------------------------

    def _handle(self, method, path, query):
        body = self._body() if method != 'GET' else None
        discovery = self._discovery(path)
        if discovery is not None:
            if method != 'GET':
                raise errors.method_not_allowed()
            return 200, discovery
        segments = path.strip('/').split('/')
        route = None
        if (segments[0] == 'api' and len(segments) > 2) or \
                (segments[0] == 'apis' and len(segments) > 3):
            route = resolve(segments)
        if route is None:
            raise errors.path_not_found()
        return self._verb(method, route, query, body)

    def _discovery(self, path):
        segments = path.strip('/').split('/')
        if path == '/version':
            return dict(ar.VERSION_INFO)
        if path == '/api':
            return ar.core_versions(self.sim.server_address)
        if path == '/apis':
            return ar.group_list()
        if segments[0] == 'api' and len(segments) == 2:
            return ar.resource_list('', segments[1])
        if segments[0] == 'apis' and len(segments) == 2:
            return ar.group(segments[1])
        if segments[0] == 'apis' and len(segments) == 3:
            return ar.resource_list(segments[1], segments[2])
        return None

    def _verb(self, method, route, query, body):
        api, res = self.sim.api, route.res
        ns, name, sub = route.namespace, route.name, route.subresource
        if res.kind == 'Namespace' and name is None:
            ns = None
        if method == 'GET' and name is None:
            if query.get('watch') in ('true', '1'):
                self._watch(route, query)
                return None, None
            return 200, api.list(res, ns, query)
        if method == 'GET':
            obj = api.get(res, ns, name)
            return 200, api.scale(res, obj) if sub == 'scale' else obj
        if method == 'POST' and name is None:
            return 201, api.create(res, ns, body)
        if method == 'PUT' and name is not None:
            return 200, api.replace(res, ns, name, body, sub)
        if method == 'PATCH' and name is not None:
            return 200, api.patch(res, ns, name,
                                  self.headers.get('Content-Type'), body,
                                  sub)
        if method == 'DELETE' and sub is None:
            options = dict(body or {})
            for key in ('propagationPolicy', 'gracePeriodSeconds'):
                if key in query and key not in options:
                    options[key] = query[key]
            if 'gracePeriodSeconds' in options:
                options['gracePeriodSeconds'] = int(
                    options['gracePeriodSeconds'])
            if name is None:
                return 200, api.delete_collection(res, ns, query, options)
            result = api.delete(res, ns, name, options)
            return (200 if result.get('kind') == 'Status'
                    or 'deletionTimestamp' not in result['metadata']
                    else 202), result
        raise errors.method_not_allowed()

    # -- watch -----------------------------------------------------------

    def _watch(self, route, query):
        store, res = self.sim.store, route.res
        predicate = self.sim.api.predicate(res, query)
        timeout = float(query.get('timeoutSeconds') or
                        DEFAULT_WATCH_SECONDS)
        deadline = time.monotonic() + timeout
        ns = route.namespace if res.kind != 'Namespace' else None
        if route.name is not None:
            by_name = predicate

            def predicate(obj):
                return (obj['metadata']['name'] == route.name
                        and by_name(obj))
        start = query.get('resourceVersion') or '0'
        try:
            start = int(start)
        except ValueError:
            raise errors.bad_request('invalid resource version: %s' % start)
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Transfer-Encoding', 'chunked')
        self.end_headers()
        self.close_connection = True
        try:
            if start == 0:
                items, start = store.list(res, ns, predicate)
                for item in items:
                    self._chunk({'type': 'ADDED', 'object': item})
            self._stream(store, res, ns, predicate, start, deadline)
            self.wfile.write(b'0\r\n\r\n')
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLEOFError):
            # The watcher went away (over TLS: an EOF from its side).
            pass

    def _chunk(self, event):
        data = json.dumps(event).encode() + b'\n'
        self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))
        self.wfile.flush()

    def _stream(self, store, res, ns, predicate, last, deadline):
        while True:
            with store.cond:
                try:
                    events = store.events_after(last)
                except errors.ApiError as exc:
                    self._chunk({'type': 'ERROR', 'object': exc.body()})
                    return
                remaining = deadline - time.monotonic()
                if not events:
                    if remaining <= 0 or store.closed:
                        return
                    store.cond.wait(min(remaining, 1.0))
                    continue
            for event in events:
                last = event.rv
                kind = _filter(event, res, ns, predicate)
                if kind:
                    self._chunk({'type': kind, 'object': event.obj})


def _filter(event, res, ns, predicate):
    """The event type a watcher sees, or None (selectors included)."""
    if event.res is not res:
        return None
    if ns is not None and event.obj['metadata'].get('namespace') != ns:
        return None
    now = predicate(event.obj)
    if event.type != 'MODIFIED':
        return event.type if now else None
    before = predicate(event.old)
    if now and before:
        return 'MODIFIED'
    if now:
        return 'ADDED'
    if before:
        return 'DELETED'
    return None


class Server(tls.TLSServerMixin, http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
