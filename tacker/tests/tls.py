"""Certificate authorities of the test tools, so that tests speak TLS.

A real Kubernetes API server is reached over HTTPS with a certificate
signed by the cluster's own CA, which clients must be given (a
kubeconfig's ``certificate-authority-data``, Tacker's
``interfaceInfo.ssl_ca_cert``). The simulator and the fault proxy do the
same with a :class:`CertificateAuthority` each, made when they start: a
client that does not verify against the right CA fails as it would on a
cluster.

Keys are EC P-256 (fast to make); certificates are valid from an hour
ago for ``days`` days. Private keys never touch the disk except for the
moment ``ssl`` loads them, in a directory only the owner can read.
"""
import datetime
import ipaddress
import os
import shutil
import socketserver
import ssl
import tempfile

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

HANDSHAKE_TIMEOUT = 10


def _pem_key(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def _name(common_name, organization=None):
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                        organization))
    return x509.Name(parts)


def _san(host):
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


class CertificateAuthority:
    """A CA that issues server and client certificates."""

    def __init__(self, name, days=2):
        self.days = days
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        subject = _name(name)
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                           critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(
                self._key.public_key()), critical=False)
            .sign(self._key, hashes.SHA256()))
        self.ca_pem = self._cert.public_bytes(
            serialization.Encoding.PEM).decode()

    def issue(self, common_name, hosts=(), client=False, organization=None):
        """(certificate PEM, key PEM), for a server or a client.

        A server certificate is for ``hosts``; a client one names the user
        ``common_name`` in group ``organization``, as the Kubernetes API
        server reads a client certificate.
        """
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        usage = (ExtendedKeyUsageOID.CLIENT_AUTH if client
                 else ExtendedKeyUsageOID.SERVER_AUTH)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organization))
            .issuer_name(self._cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=self.days))
            .add_extension(x509.BasicConstraints(ca=False,
                                                 path_length=None),
                           critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    self._key.public_key()), critical=False))
        if hosts:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([_san(h) for h in hosts]),
                critical=False)
        cert = builder.sign(self._key, hashes.SHA256())
        return (cert.public_bytes(serialization.Encoding.PEM).decode(),
                _pem_key(key))

    def server_context(self, hosts, client_certificates=False):
        """An ``ssl`` server context with a certificate for ``hosts``.

        ``client_certificates``: clients may present a certificate of this
        CA (checked when presented; one without is still served, as the
        Kubernetes API server does for token-authenticated clients).
        """
        cert, key = self.issue(hosts[0], hosts)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        private = tempfile.mkdtemp(prefix='tacker-test-tls-')
        try:
            path = os.path.join(private, 'server.pem')
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, 'w') as f:
                f.write(cert + key)
            context.load_cert_chain(path)
        finally:
            shutil.rmtree(private, ignore_errors=True)
        if client_certificates:
            context.verify_mode = ssl.CERT_OPTIONAL
            context.load_verify_locations(cadata=self.ca_pem)
        return context

    def client_context(self):
        """A client context that trusts this CA only."""
        return ssl.create_default_context(cadata=self.ca_pem)

    def write_ca(self, directory, name='ca.pem'):
        """The CA certificate (public) written under ``directory``."""
        path = os.path.join(directory, name)
        with open(path, 'w') as f:
            f.write(self.ca_pem)
        return path


class TLSServerMixin:
    """For a socketserver TCP server: wrap each accepted connection.

    The handshake is left to the handler's thread (:func:`handshake`), so
    that a slow or failing client never holds up ``accept``.
    """

    ssl_context = None

    def get_request(self):
        sock, address = socketserver.TCPServer.get_request(self)
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False)
        return sock, address


def handshake(sock):
    """Finish the TLS handshake of an accepted connection.

    True when the connection may be served (plain TCP, or TLS agreed);
    False when the client went away or refused our certificate (as a
    client with the wrong CA does), in which case the connection is done.
    """
    if not isinstance(sock, ssl.SSLSocket):
        return True
    previous = sock.gettimeout()
    sock.settimeout(HANDSHAKE_TIMEOUT)
    try:
        sock.do_handshake()
    except (ssl.SSLError, OSError):
        return False
    sock.settimeout(previous)
    return True


def peer_common_name(sock):
    """The CN of a verified client certificate, or None."""
    if not isinstance(sock, ssl.SSLSocket):
        return None
    cert = sock.getpeercert() or {}
    for rdn in cert.get('subject') or ():
        for key, value in rdn:
            if key == 'commonName':
                return value
    return None
