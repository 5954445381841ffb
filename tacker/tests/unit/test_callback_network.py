"""The allow-list of callback destinations."""
import socket

from tacker.sol_refactored.common import callback_network as cn
from tacker.tests import base


class TestAllowed(base.TestCase):

    def test_default_refuses_special_blocks(self):
        for address in ('198.51.100.7', '10.1.2.3', '2001:db8::1'):
            self.assertTrue(cn.allowed(address), address)
        for address in ('127.0.0.1', '::1', '169.254.169.254', 'fe80::1',
                        '0.0.0.0', '224.0.0.1', '::ffff:127.0.0.1'):
            self.assertFalse(cn.allowed(address), address)

    def test_special_block_listed_explicitly(self):
        self.conf.config(allowed_callback_networks=['127.0.0.1/32'],
                         group='notification')
        self.assertTrue(cn.allowed('127.0.0.1'))
        self.assertFalse(cn.allowed('127.0.0.2'))
        self.assertFalse(cn.allowed('198.51.100.7'))

    def test_check_uri_resolves_the_host(self):
        e = self.assertRaises(cn.NotAllowed, cn.check_uri,
                              'http://localhost:8080/cb')
        self.assertIn('allowed_callback_networks', str(e))
        self.assertRaises(cn.NotAllowed, cn.check_uri, 'http:///cb')

    def test_connected_peer_is_checked(self):
        server = socket.socket()
        server.bind(('127.0.0.1', 0))
        server.listen(1)
        self.addCleanup(server.close)
        client = socket.create_connection(server.getsockname())
        e = self.assertRaises(OSError, cn._checked, client)
        self.assertIn('allowed_callback_networks', str(e))
        self.assertEqual(-1, client.fileno())
