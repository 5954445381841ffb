"""Where Tacker may send callbacks: the operator's allow-list.

Subscribers choose the callback URI (and the OAuth 2.0 token endpoint),
so without a bound tacker-server would connect wherever they point it: a
port scanner inside the operator's network. Every such request goes only
to an address in ``[notification] allowed_callback_networks``:

- the URI's host is resolved and every address it has must be allowed,
  before any connection (``check_uri``, with an error that names the
  option, not the address);
- the connection itself is checked again once made (the peer address of
  the socket, ``Session``), so a name that resolves differently the
  second time ("DNS rebinding") is caught too.

Loopback, link-local (which holds the clouds' metadata service),
unspecified and multicast addresses are refused even inside a broad
allowed network such as ``0.0.0.0/0``: they are reachable only when a
listed network lies inside their block (``127.0.0.0/8``,
``127.0.0.1/32``, ``169.254.0.0/16`` ...), as a test set-up lists them.
"""
import ipaddress
import socket
import urllib.parse

import requests
from requests import adapters
from urllib3 import connection as u3_connection
from urllib3 import connectionpool

from tacker.sol_refactored.common import config

CONF = config.CONF

SPECIAL = [ipaddress.ip_network(n) for n in (
    '127.0.0.0/8', '::1/128', '169.254.0.0/16', 'fe80::/10',
    '0.0.0.0/8', '::/128', '224.0.0.0/4', 'ff00::/8')]


class NotAllowed(Exception):
    pass


def _networks():
    found = []
    for text in CONF.notification.allowed_callback_networks:
        found.append(ipaddress.ip_network(text, strict=False))
    return found


def allowed(address):
    """Whether an IP address (text) may be connected to."""
    addr = ipaddress.ip_address(address.split('%', 1)[0])
    if getattr(addr, 'ipv4_mapped', None):
        addr = addr.ipv4_mapped
    special = [block for block in SPECIAL if addr in block]
    for net in _networks():
        if addr.version != net.version or addr not in net:
            continue
        if not special or any(net.version == block.version and
                              net.subnet_of(block) for block in special):
            return True
    return False


def check_uri(uri):
    """Raise NotAllowed unless every address of the URI's host is allowed."""
    parts = urllib.parse.urlsplit(uri)
    host = parts.hostname
    if not host:
        raise NotAllowed('it names no host')
    port = parts.port or (443 if parts.scheme == 'https' else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise NotAllowed('its host name does not resolve')
    for info in infos:
        if not allowed(info[4][0]):
            raise NotAllowed(
                'it leads to an address outside the networks the operator '
                'allows for callbacks ([notification] '
                'allowed_callback_networks)')


def _checked(sock):
    peer = sock.getpeername()[0]
    if not allowed(peer):
        sock.close()
        raise OSError('connected to an address outside [notification] '
                      'allowed_callback_networks')
    return sock


class _HTTPConnection(u3_connection.HTTPConnection):
    def _new_conn(self):
        return _checked(super()._new_conn())


class _HTTPSConnection(u3_connection.HTTPSConnection):
    def _new_conn(self):
        return _checked(super()._new_conn())


class _HTTPPool(connectionpool.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(connectionpool.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {'http': _HTTPPool,
                                                   'https': _HTTPSPool}


def session():
    """A requests session whose connections are checked once made."""
    sess = requests.Session()
    sess.mount('http://', _Adapter())
    sess.mount('https://', _Adapter())
    return sess
