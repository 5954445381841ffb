"""Throw-away CAs and signer certificates for signature tests.

Everything is generated with ``cryptography`` when a test asks for it;
no key or certificate is stored in the tree.
"""
import datetime

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

DAY = datetime.timedelta(days=1)


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _name(common_name):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Tacker tests'),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(**allowed):
    flags = dict(digital_signature=False, content_commitment=False,
                 key_encipherment=False, data_encipherment=False,
                 key_agreement=False, key_cert_sign=False, crl_sign=False,
                 encipher_only=False, decipher_only=False)
    flags.update(allowed)
    return x509.KeyUsage(**flags)


class Identity:
    """A key and its certificate, with PEM forms."""

    def __init__(self, key, cert):
        self.key = key
        self.cert = cert

    @property
    def cert_pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self):
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())

    @property
    def subject(self):
        return self.cert.subject.rfc4514_string()


def make_ca(common_name='Package Signing Test CA'):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - DAY)
            .not_valid_after(_now() + 30 * DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=1),
                           critical=True)
            .add_extension(_usage(key_cert_sign=True, crl_sign=True),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(
                key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(key, cert)


def make_signer(ca, common_name='VNF Vendor Signer', rsa_key=False,
                not_before=None, not_after=None,
                usages=(ExtendedKeyUsageOID.CODE_SIGNING,)):
    """A certificate ``ca`` issued for signing packages."""
    if rsa_key:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    builder = (x509.CertificateBuilder()
               .subject_name(_name(common_name))
               .issuer_name(ca.cert.subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or _now() - DAY)
               .not_valid_after(not_after or _now() + 30 * DAY)
               .add_extension(x509.BasicConstraints(ca=False,
                                                    path_length=None),
                              critical=True)
               .add_extension(_usage(digital_signature=True), critical=True)
               .add_extension(
                   x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       ca.key.public_key()), critical=False))
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(usages)),
                                        critical=False)
    return Identity(key, builder.sign(ca.key, hashes.SHA256()))
