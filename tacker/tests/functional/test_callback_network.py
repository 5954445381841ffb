"""Subscriptions as a probe of the operator's network, refused.

A subscriber chooses the callback URI, and tacker-server tests it with a
GET when the subscription is created. Pointed at loopback it is refused
unless the operator allows loopback; pointed at something that is not an
HTTP server (a database port, say) the failure tells the kind of failure
and never a byte of what answered.
"""
import socket
import threading

from tacker.tests.functional import base
from tacker.tests.unit import notification_receiver

SUBSCRIPTIONS = '/vnflcm/v2/subscriptions'
# What a database greets a client with; it must never come back.
GREETING = b'J\x00\x00\x00\n5.5.5-10.11.6-MariaDB-GREETING-7f3a\x00'


class _Talker:
    """A loopback TCP server that greets every client with GREETING."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                try:
                    conn.sendall(GREETING)
                    conn.recv(1024)
                except OSError:
                    pass

    def close(self):
        self.sock.close()


class CallbackTestCase(base.FunctionalTestCase):

    def subscribe(self, uri):
        return self.client.request('POST', SUBSCRIPTIONS,
                                   {'callbackUri': uri})

    def assertRefused(self, resp, *words):
        self.assertEqual(400, resp.status_code, resp.text)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        for word in words:
            self.assertIn(word, resp.body['detail'])
        listed = self.client.request('GET', SUBSCRIPTIONS)
        self.assertEqual([], listed.body)


class TestDefaultAllowList(CallbackTestCase):
    """The default: any address but loopback, link-local and the like."""
    service_options = {('notification', 'allowed_callback_networks'):
                       '0.0.0.0/0,::/0'}

    def test_loopback_callback_is_refused_without_a_request(self):
        receiver = self.useFixture(notification_receiver.Receiver())
        resp = self.subscribe(receiver.uri())
        self.assertRefused(resp, 'allowed_callback_networks')
        self.assertEqual([], receiver.requests)

    def test_metadata_service_address_is_refused(self):
        resp = self.subscribe('http://169.254.169.254/latest/meta-data')
        self.assertRefused(resp, 'allowed_callback_networks')


class TestLoopbackAllowed(CallbackTestCase):
    service_options = {('notification', 'allowed_callback_networks'):
                       '127.0.0.0/8'}

    def test_a_port_that_is_not_http_tells_nothing_of_its_answer(self):
        talker = _Talker()
        self.addCleanup(talker.close)
        resp = self.subscribe('http://127.0.0.1:%d/cb' % talker.port)
        self.assertRefused(resp, 'was not HTTP')
        self.assertEqual(1, talker.accepted)
        for piece in (b'MariaDB', b'GREETING', b'5.5.5'):
            self.assertNotIn(piece, resp.content)
            self.assertNotIn(piece.decode(), self.service.logs())

    def test_a_closed_port_is_refused_the_same_way(self):
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
        sock.close()
        resp = self.subscribe('http://127.0.0.1:%d/cb' % port)
        self.assertRefused(resp, 'refused, reset or not allowed')

    def test_an_allowed_receiver_is_subscribed(self):
        receiver = self.useFixture(notification_receiver.Receiver())
        resp = self.subscribe(receiver.uri())
        self.assertEqual(201, resp.status_code, resp.text)
