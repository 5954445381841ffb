"""A real HTTP notification receiver on 127.0.0.1 for tests.

It records every request it gets and answers as the test tells it: a
list of statuses for the POSTs (then a default), a status for GETs, or no
answer at all until the test releases it. ``/token`` plays an OAuth 2.0
token endpoint.
"""
import base64
import http.server
import json
import socket
import threading

import fixtures

TOKEN_PATH = '/token'


class Receiver(fixtures.Fixture):
    def __init__(self, post_statuses=(), post_default=204, get_status=204,
                 hang=False, token_expires_in=3600):
        super().__init__()
        self.post_statuses = list(post_statuses)
        self.post_default = post_default
        self.get_status = get_status
        self.hang = hang
        self.token_expires_in = token_expires_in
        self.requests = []
        self.token_requests = []
        self.answered = 0
        self.release = threading.Event()
        self._cond = threading.Condition()

    def _setUp(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _record(self):
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length) if length else b''
                return {'method': self.command, 'path': self.path,
                        'headers': dict(self.headers.items()), 'raw': raw}

            def _answer(self, status, body=None):
                data = json.dumps(body).encode() if body is not None else b''
                self.send_response(status)
                if data:
                    self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with receiver._cond:
                    receiver.answered += 1
                    receiver._cond.notify_all()

            def _handle(self):
                entry = self._record()
                if self.path == TOKEN_PATH:
                    with receiver._cond:
                        receiver.token_requests.append(entry)
                        number = len(receiver.token_requests)
                    self._answer(200, {
                        'access_token': 'token-%d' % number,
                        'token_type': 'Bearer',
                        'expires_in': receiver.token_expires_in})
                    return
                with receiver._cond:
                    receiver.requests.append(entry)
                    receiver._cond.notify_all()
                    if self.command == 'GET':
                        status = receiver.get_status
                    elif receiver.post_statuses:
                        status = receiver.post_statuses.pop(0)
                    else:
                        status = receiver.post_default
                if receiver.hang:
                    # Bounded so a broken test cannot leave it forever.
                    receiver.release.wait(60)
                    return
                self._answer(status)

            do_GET = _handle
            do_POST = _handle

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      Handler)
        self.server.daemon_threads = True
        thread = threading.Thread(target=self.server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.addCleanup(self.release.set)
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]

    def uri(self, path='/callback'):
        return self.url + path

    def posts(self):
        with self._cond:
            return [r for r in self.requests if r['method'] == 'POST']

    def bodies(self):
        return [json.loads(r['raw']) for r in self.posts()]

    def wait_for(self, count, timeout=10, method='POST'):
        """Wait until ``count`` requests of ``method`` arrived."""
        with self._cond:
            return self._cond.wait_for(
                lambda: len([r for r in self.requests
                             if r['method'] == method]) >= count, timeout)


def basic_credentials(entry):
    header = entry['headers'].get('Authorization', '')
    if not header.startswith('Basic '):
        return None
    return base64.b64decode(header[len('Basic '):]).decode().split(':', 1)


def unreachable_uri():
    """A 127.0.0.1 URI on which nothing listens."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return 'http://127.0.0.1:%d/callback' % port
