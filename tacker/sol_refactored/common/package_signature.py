"""Verifying the CMS signature of a VNF package manifest (SOL004 5.1).

Security option 1 of SOL004 signs the manifest: a detached CMS
SignedData (RFC 5652) over the manifest's content, appended to it in a
``-----BEGIN CMS-----`` block. The signer's certificate comes with the
signature or as a separate file of the package.

``cryptography`` parses certificates, checks the signature of each
signer and builds the certificate chain to the operator's trusted CAs
(``cryptography.x509.verification``); it has no API that reads CMS
signer infos, so those are read here with the small DER reader ``der``.

Two outcomes are not failures:

- ``VERIFIED``: every signer's signature matches the content and its
  certificate chains to a CA of ``[vnf_package] trusted_ca_certs``;
- ``UNVERIFIED``: the signatures match the content and the certificates
  in the package, but no trusted CA is configured, so who signed is not
  established.

Anything else raises SignatureError, whose message says what is wrong.
"""
import datetime
import hashlib

from cryptography import exceptions as crypto_exc
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import ed448
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509 import oid as x509_oid
from cryptography.x509 import verification

from tacker.sol_refactored.common import der

VERIFIED = 'VERIFIED'
UNVERIFIED = 'UNVERIFIED'

ID_SIGNED_DATA = '1.2.840.113549.1.7.2'
ID_DATA = '1.2.840.113549.1.7.1'
ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3'
ATTR_MESSAGE_DIGEST = '1.2.840.113549.1.9.4'

DIGESTS = {
    '2.16.840.1.101.3.4.2.1': hashes.SHA256,
    '2.16.840.1.101.3.4.2.2': hashes.SHA384,
    '2.16.840.1.101.3.4.2.3': hashes.SHA512,
    '2.16.840.1.101.3.4.2.4': hashes.SHA224,
}
WEAK_DIGESTS = {'1.3.14.3.2.26': 'SHA-1', '1.2.840.113549.2.5': 'MD5'}
_RSA = '1.2.840.113549.1.1.1'
_RSA_PSS = '1.2.840.113549.1.1.10'
_MGF1 = '1.2.840.113549.1.1.8'
# Signature algorithm -> (key kind, digest it implies or None).
SIGNATURES = {
    _RSA: ('rsa', None),
    '1.2.840.113549.1.1.11': ('rsa', hashes.SHA256),
    '1.2.840.113549.1.1.12': ('rsa', hashes.SHA384),
    '1.2.840.113549.1.1.13': ('rsa', hashes.SHA512),
    '1.2.840.113549.1.1.14': ('rsa', hashes.SHA224),
    _RSA_PSS: ('rsa-pss', None),
    '1.2.840.10045.2.1': ('ec', None),
    '1.2.840.10045.4.3.1': ('ec', hashes.SHA224),
    '1.2.840.10045.4.3.2': ('ec', hashes.SHA256),
    '1.2.840.10045.4.3.3': ('ec', hashes.SHA384),
    '1.2.840.10045.4.3.4': ('ec', hashes.SHA512),
    '1.3.101.112': ('ed25519', None),
    '1.3.101.113': ('ed448', None),
}
# A signer's certificate may be for code signing or for S/MIME (CMS is
# the S/MIME format); one without extendedKeyUsage may sign anything.
SIGNING_USAGES = (x509_oid.ExtendedKeyUsageOID.CODE_SIGNING,
                  x509_oid.ExtendedKeyUsageOID.EMAIL_PROTECTION,
                  x509_oid.ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)


class SignatureError(Exception):
    """The signature is not valid; the message says why."""


class Result:
    """What verification established."""

    def __init__(self, state, signers, reason, trusted_by=()):
        self.state = state
        self.signers = signers          # certificates, one per signer
        self.reason = reason
        self.trusted_by = list(trusted_by)

    @property
    def signer_names(self):
        return [c.subject.rfc4514_string() for c in self.signers]


def load_pem_certificates(data, where):
    """Every certificate of a PEM file (bytes); SignatureError if none."""
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as e:
        raise SignatureError('%s does not hold PEM certificates: %s' % (
            where, e))
    return certs


def _algorithm(element, what):
    parts = element.expect(der.SEQUENCE, what).children()
    if not parts:
        raise der.DerError('%s: empty AlgorithmIdentifier' % what)
    return parts[0].as_oid(), (parts[1] if len(parts) > 1 else None)


class _SignerInfo:

    def __init__(self, element):
        parts = element.expect(der.SEQUENCE, 'SignerInfo').children()
        self.version = parts[0].as_int()
        self.sid = parts[1]
        self.digest_oid, _ = _algorithm(parts[2], 'digestAlgorithm')
        rest = parts[3:]
        self.signed_attrs = None
        if rest and rest[0].is_context(0):
            self.signed_attrs = rest.pop(0)
        if len(rest) < 2:
            raise der.DerError('SignerInfo lacks its signature')
        self.signature_oid, self.signature_params = _algorithm(
            rest[0], 'signatureAlgorithm')
        self.signature = rest[1].expect(der.OCTET_STRING,
                                        'signature').content

    def attributes(self):
        """{attribute OID: [values]} of the signed attributes."""
        found = {}
        for attr in self.signed_attrs.children():
            attr_type, values = attr.expect(der.SEQUENCE,
                                            'Attribute').children()[:2]
            oid = attr_type.as_oid()
            if oid in found:
                raise der.DerError('signed attribute %s appears twice' % oid)
            found[oid] = values.expect(der.SET, 'AttributeValues').children()
        return found

    def signed_bytes(self):
        # RFC 5652 5.4: the DER of the attributes with the SET OF tag.
        return b'\x31' + self.signed_attrs.raw[1:]

    def matches(self, cert):
        if self.sid.is_universal(der.SEQUENCE):
            issuer, serial = self.sid.children()[:2]
            return (cert.issuer.public_bytes() == issuer.raw and
                    cert.serial_number == serial.as_int())
        if self.sid.is_context(0):
            try:
                ski = cert.extensions.get_extension_for_class(
                    x509.SubjectKeyIdentifier).value.digest
            except x509.ExtensionNotFound:
                return False
            return ski == self.sid.content
        raise der.DerError('unknown SignerIdentifier')


class _SignedData:

    def __init__(self, data):
        info = der.parse(data).expect(der.SEQUENCE, 'ContentInfo')
        content_type, explicit = info.children()[:2]
        if content_type.as_oid() != ID_SIGNED_DATA or not (
                explicit.is_context(0)):
            raise der.DerError('the CMS message is not a SignedData')
        parts = explicit.children()[0].expect(der.SEQUENCE,
                                              'SignedData').children()
        encap = parts[2].expect(der.SEQUENCE,
                                'EncapsulatedContentInfo').children()
        self.content_type = encap[0].as_oid()
        self.content = None
        if len(encap) > 1:
            self.content = _octets(encap[1].children()[0])
        self.certificates = []
        rest = parts[3:]
        while rest and rest[0].cls == der.CONTEXT:
            tagged = rest.pop(0)
            if tagged.tag == 0:
                for cert in tagged.children():
                    if cert.is_universal(der.SEQUENCE):
                        self.certificates.append(
                            x509.load_der_x509_certificate(cert.raw))
        if not rest:
            raise der.DerError('SignedData has no signerInfos')
        self.signers = [_SignerInfo(s) for s in rest[0].expect(
            der.SET, 'signerInfos').children()]


def _octets(element):
    # An OCTET STRING, or in BER a constructed one made of pieces.
    if not element.constructed:
        return element.expect(der.OCTET_STRING, 'eContent').content
    return b''.join(_octets(e) for e in element.children())


def _digest(hash_cls, data):
    digest = hashes.Hash(hash_cls())
    digest.update(data)
    return digest.finalize()


def _pss_padding(params, default_hash):
    salt = 20
    hash_cls = hashes.SHA1
    mgf_hash = hashes.SHA1
    for item in (params.children() if params is not None and
                 params.constructed else []):
        inner = item.children()[0] if item.constructed else item
        if item.is_context(0):
            oid, _ = _algorithm(inner, 'PSS hashAlgorithm')
            hash_cls = DIGESTS.get(oid)
        elif item.is_context(1):
            oid, mgf_params = _algorithm(inner, 'PSS maskGenAlgorithm')
            if oid != _MGF1 or mgf_params is None:
                raise SignatureError('RSASSA-PSS with a mask generation '
                                     'function other than MGF1')
            mgf_hash = DIGESTS.get(_algorithm(mgf_params, 'MGF1 hash')[0])
        elif item.is_context(2):
            salt = inner.as_int()
    if hash_cls is None or mgf_hash is None:
        raise SignatureError('RSASSA-PSS with an unsupported hash')
    return padding.PSS(mgf=padding.MGF1(mgf_hash()), salt_length=salt), (
        hash_cls)


def _check_signature(signer, cert, data):
    kind, implied = SIGNATURES.get(signer.signature_oid, (None, None))
    if kind is None:
        raise SignatureError('the signature algorithm %s is not supported '
                             '(use RSA, RSASSA-PSS, ECDSA or EdDSA)'
                             % signer.signature_oid)
    hash_cls = implied or DIGESTS[signer.digest_oid]
    key = cert.public_key()
    try:
        if kind == 'rsa' and isinstance(key, rsa.RSAPublicKey):
            key.verify(signer.signature, data, padding.PKCS1v15(),
                       hash_cls())
        elif kind == 'rsa-pss' and isinstance(key, rsa.RSAPublicKey):
            pss, hash_cls = _pss_padding(signer.signature_params, hash_cls)
            key.verify(signer.signature, data, pss, hash_cls())
        elif kind == 'ec' and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signer.signature, data, ec.ECDSA(hash_cls()))
        elif kind == 'ed25519' and isinstance(key,
                                              ed25519.Ed25519PublicKey):
            key.verify(signer.signature, data)
        elif kind == 'ed448' and isinstance(key, ed448.Ed448PublicKey):
            key.verify(signer.signature, data)
        else:
            raise SignatureError(
                'the signature algorithm does not fit the key of the '
                'signer certificate %s' % cert.subject.rfc4514_string())
    except crypto_exc.InvalidSignature:
        return False
    return True


def _signature_holds(signer, cert, content):
    """Whether ``signer`` signed ``content`` with ``cert``'s key."""
    if signer.digest_oid in WEAK_DIGESTS:
        raise SignatureError('the signature uses %s, which is too weak; '
                             'sign with SHA-256 or stronger' %
                             WEAK_DIGESTS[signer.digest_oid])
    hash_cls = DIGESTS.get(signer.digest_oid)
    if hash_cls is None:
        raise SignatureError('the digest algorithm %s is not supported'
                             % signer.digest_oid)
    if signer.signed_attrs is None:
        return _check_signature(signer, cert, content)
    attrs = signer.attributes()
    digests = attrs.get(ATTR_MESSAGE_DIGEST) or []
    types = attrs.get(ATTR_CONTENT_TYPE) or []
    if len(digests) != 1 or len(types) != 1:
        raise SignatureError('the signed attributes must hold one '
                             'content-type and one message-digest')
    if types[0].as_oid() != ID_DATA:
        raise SignatureError('the signed content type is %s, not id-data'
                             % types[0].as_oid())
    wanted = digests[0].expect(der.OCTET_STRING, 'messageDigest').content
    if _digest(hash_cls, content) != wanted:
        return False
    if not _check_signature(signer, cert, signer.signed_bytes()):
        raise SignatureError(
            'the signature of %s over the signed attributes does not '
            'match: the signature was altered or made with another key'
            % cert.subject.rfc4514_string())
    return True


def _key_usage_ok(policy, cert, ext):
    if ext is not None and not (ext.digital_signature or
                                ext.content_commitment):
        raise ValueError('the keyUsage of the signer certificate allows '
                         'no signatures')


def _ext_key_usage_ok(policy, cert, ext):
    if ext is not None and not any(u in SIGNING_USAGES for u in ext):
        raise ValueError('the extendedKeyUsage of the signer certificate '
                         'allows neither code signing nor S/MIME')


def _chain(cert, intermediates, trusted, now):
    ee_policy = verification.ExtensionPolicy.permit_all().may_be_present(
        x509.KeyUsage, verification.Criticality.AGNOSTIC, _key_usage_ok
    ).may_be_present(
        x509.ExtendedKeyUsage, verification.Criticality.AGNOSTIC,
        _ext_key_usage_ok)
    verifier = verification.PolicyBuilder().store(
        verification.Store(trusted)).time(now).extension_policies(
        ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
        ee_policy=ee_policy).build_client_verifier()
    try:
        return verifier.verify(cert, intermediates).chain
    except verification.VerificationError as e:
        raise SignatureError(
            'the signer certificate %s (issued by %s) does not chain to a '
            'trusted CA of [vnf_package] trusted_ca_certs (%s): %s' % (
                cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(),
                '; '.join(c.subject.rfc4514_string() for c in trusted), e))


def _check_validity(cert, now):
    if cert.not_valid_after_utc < now:
        raise SignatureError('the signer certificate %s expired on %s' % (
            cert.subject.rfc4514_string(),
            cert.not_valid_after_utc.isoformat()))
    if cert.not_valid_before_utc > now:
        raise SignatureError('the signer certificate %s is valid only '
                             'from %s' % (cert.subject.rfc4514_string(),
                                          cert.not_valid_before_utc
                                          .isoformat()))


def content_variants(content):
    """The byte strings a signer may have signed for ``content``.

    Signers differ on the line break before the CMS block and on S/MIME
    text canonicalisation (CRLF line ends): accept each of these, and
    nothing else.
    """
    variants = [content]
    if content.endswith(b'\n'):
        variants.append(content[:-1])
    crlf = content.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
    if crlf not in variants:
        variants.append(crlf)
    return variants


def verify(cms_der, content, package_certs=(), trusted=(), now=None):
    """Verify a detached CMS signature over ``content``; a Result.

    ``package_certs`` are certificates the package carries beside the
    signature, ``trusted`` the CA certificates of the operator; with no
    trusted CA the result is UNVERIFIED (never VERIFIED).
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        signed = _SignedData(cms_der)
    except (der.DerError, ValueError, IndexError) as e:
        raise SignatureError('the CMS signature cannot be read: %s' % e)
    if signed.content_type != ID_DATA:
        raise SignatureError('the CMS signature covers content of type %s, '
                             'not data' % signed.content_type)
    if signed.content is not None and signed.content not in (
            content_variants(content)):
        raise SignatureError('the CMS signature holds content other than '
                             'the manifest')
    if not signed.signers:
        raise SignatureError('the CMS signature has no signer')
    certs = list(signed.certificates) + list(package_certs)
    signers = []
    for signer in signed.signers:
        cert = next((c for c in certs if signer.matches(c)), None)
        if cert is None:
            raise SignatureError(
                'the certificate of a signer is neither in the CMS '
                'signature nor in the package')
        try:
            held = any(_signature_holds(signer, cert, variant)
                       for variant in content_variants(content))
        except (der.DerError, ValueError, IndexError) as e:
            raise SignatureError('a signer info cannot be read: %s' % e)
        if not held:
            raise SignatureError(
                'the signature of %s does not match the manifest: the '
                'manifest was changed after it was signed' %
                cert.subject.rfc4514_string())
        _check_validity(cert, now)
        signers.append(cert)
    if not trusted:
        return Result(UNVERIFIED, signers,
                      'the signature matches the manifest and the signer '
                      'certificate in the package, but no trusted CA is '
                      'configured ([vnf_package] trusted_ca_certs), so the '
                      'signer is not authenticated')
    anchors = []
    for cert in signers:
        others = [c for c in certs if c is not cert]
        chain = _chain(cert, others, list(trusted), now)
        anchors.append(chain[-1].subject.rfc4514_string())
    return Result(VERIFIED, signers,
                  'the signature matches the manifest and every signer '
                  'certificate chains to a trusted CA', anchors)


def fingerprint(cert):
    """SHA-256 of the certificate's DER, in hex."""
    return hashlib.sha256(cert.public_bytes(
        serialization.Encoding.DER)).hexdigest()
