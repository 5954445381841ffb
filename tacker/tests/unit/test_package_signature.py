"""CMS signatures of manifests, with a test CA made for each test class."""
import datetime
import os

from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from tacker.sol_refactored.common import csar_integrity
from tacker.sol_refactored.common import csar_layout
from tacker.sol_refactored.common import der
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import package_signature as signature
from tacker.tests import base
from tacker.tests import pki
from tacker.tests.unit.data import packages

CONTENT = (b'metadata:\nvnf_provider_id: Example Networks\n'
           b'vnf_product_name: Edge Firewall\n'
           b'vnf_release_date_time: 2024-03-01T10:00:00+00:00\n'
           b'vnf_package_version: 1.2\n\n')
UTC = datetime.timezone.utc


def cms(content, signer, options=(), hash_cls=hashes.SHA256,
        rsa_padding=None):
    opts = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    opts += list(options)
    return pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(
        signer.cert, signer.key, hash_cls(), rsa_padding=rsa_padding).sign(
        serialization.Encoding.DER, opts)


class TestVerify(base.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ca = pki.make_ca()
        cls.signer = pki.make_signer(cls.ca)
        cls.rsa_signer = pki.make_signer(cls.ca, 'RSA Signer', rsa_key=True)
        cls.other_ca = pki.make_ca('Somebody Else CA')

    def verify(self, sig, content=CONTENT, certs=(), trusted=None):
        return signature.verify(sig, content, certs,
                                [self.ca.cert] if trusted is None
                                else trusted)

    def assertInvalid(self, *args, fragments=(), **kwargs):
        e = self.assertRaises(signature.SignatureError, self.verify, *args,
                              **kwargs)
        for fragment in fragments:
            self.assertIn(fragment, str(e))
        return e

    def test_verified(self):
        result = self.verify(cms(CONTENT, self.signer))
        self.assertEqual(signature.VERIFIED, result.state)
        self.assertEqual([self.signer.subject], result.signer_names)
        self.assertEqual([self.ca.subject], result.trusted_by)

    def test_rsa_pkcs1_pss_and_other_digests(self):
        for hash_cls in (hashes.SHA256, hashes.SHA384, hashes.SHA512):
            sig = cms(CONTENT, self.rsa_signer, hash_cls=hash_cls)
            self.assertEqual(signature.VERIFIED, self.verify(sig).state)
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                          salt_length=padding.PSS.DIGEST_LENGTH)
        sig = cms(CONTENT, self.rsa_signer, rsa_padding=pss)
        self.assertEqual(signature.VERIFIED, self.verify(sig).state)

    def test_without_signed_attributes(self):
        sig = cms(CONTENT, self.rsa_signer,
                  [pkcs7.PKCS7Options.NoAttributes])
        self.assertEqual(signature.VERIFIED, self.verify(sig).state)
        self.assertInvalid(sig, CONTENT + b'x', fragments=['was changed'])

    def test_no_trusted_ca_is_unverified_never_verified(self):
        result = self.verify(cms(CONTENT, self.signer), trusted=[])
        self.assertEqual(signature.UNVERIFIED, result.state)
        self.assertIn('no trusted CA is configured', result.reason)
        self.assertEqual([], result.trusted_by)

    def test_tampered_manifest(self):
        self.assertInvalid(cms(CONTENT, self.signer),
                           CONTENT.replace(b'1.2', b'1.3'),
                           fragments=['does not match the manifest',
                                      'changed after it was signed'])
        # Tampering is found without a trusted CA too.
        self.assertInvalid(cms(CONTENT, self.signer),
                           CONTENT.replace(b'1.2', b'1.3'), trusted=[])

    def test_signer_of_another_ca(self):
        stranger = pki.make_signer(self.other_ca, 'Stranger')
        self.assertInvalid(cms(CONTENT, stranger),
                           fragments=['CN=Stranger', 'does not chain',
                                      'Somebody Else CA'])

    def test_self_made_certificate_claiming_the_ca_name(self):
        fake_ca = pki.make_ca('Package Signing Test CA')
        forged = pki.make_signer(fake_ca, 'VNF Vendor Signer')
        self.assertInvalid(cms(CONTENT, forged),
                           fragments=['does not chain'])

    def test_expired_and_not_yet_valid(self):
        expired = pki.make_signer(
            self.ca, 'Old Signer',
            not_before=datetime.datetime(2020, 1, 1, tzinfo=UTC),
            not_after=datetime.datetime(2021, 1, 1, tzinfo=UTC))
        self.assertInvalid(cms(CONTENT, expired),
                           fragments=['CN=Old Signer', 'expired on 2021'])
        self.assertInvalid(cms(CONTENT, expired), trusted=[],
                           fragments=['expired'])
        future = pki.make_signer(
            self.ca, 'Future Signer',
            not_before=datetime.datetime.now(UTC) +
            datetime.timedelta(days=2))
        self.assertInvalid(cms(CONTENT, future), fragments=['valid only'])

    def test_certificate_for_tls_only(self):
        tls = pki.make_signer(self.ca, 'TLS Server', usages=(
            pki.ExtendedKeyUsageOID.SERVER_AUTH,))
        self.assertInvalid(cms(CONTENT, tls),
                           fragments=['neither code signing nor S/MIME'])

    def test_certificate_in_the_package_instead(self):
        sig = cms(CONTENT, self.signer, [pkcs7.PKCS7Options.NoCerts])
        self.assertInvalid(sig, fragments=['neither in the CMS signature '
                                           'nor in the package'])
        result = self.verify(sig, certs=[self.signer.cert])
        self.assertEqual(signature.VERIFIED, result.state)
        other = pki.make_signer(self.ca, 'Other Signer')
        self.assertInvalid(sig, certs=[other.cert])

    def test_line_break_and_crlf_variants(self):
        self.assertEqual(signature.VERIFIED, self.verify(
            cms(CONTENT[:-1], self.signer)).state)
        crlf = CONTENT.replace(b'\n', b'\r\n')
        self.assertEqual(signature.VERIFIED, self.verify(
            cms(crlf, self.signer)).state)

    def test_garbage_and_other_cms(self):
        self.assertInvalid(b'\x30\x03\x02\x01', fragments=['cannot be read'])
        self.assertInvalid(b'not der', fragments=['cannot be read'])
        certs_only = pkcs7.serialize_certificates(
            [self.signer.cert], serialization.Encoding.DER)
        self.assertInvalid(certs_only, fragments=['no signer'])


class TestDer(base.TestCase):

    def test_definite_and_indefinite(self):
        element = der.parse(bytes.fromhex('3006020101020102'))
        self.assertEqual([1, 2], [c.as_int() for c in element.children()])
        element = der.parse(bytes.fromhex('3080020101020102' + '0000'))
        self.assertEqual([1, 2], [c.as_int() for c in element.children()])
        self.assertEqual(
            '1.2.840.113549.1.7.2',
            der.parse(bytes.fromhex('06092a864886f70d010702')).as_oid())

    def test_malformed(self):
        for data in ('3005020101', '30800201010201', '3006020101020102ff',
                     '0480'):
            self.assertRaises(der.DerError,
                              lambda: der.parse(bytes.fromhex(data))
                              .children())


class TestSignedPackages(base.TestCase):
    """csar_integrity with signed packages built by the build tool."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ca = pki.make_ca()
        cls.signer = pki.make_signer(cls.ca)

    def trust(self, *cas):
        paths = []
        for n, ca in enumerate(cas):
            path = os.path.join(self.state_dir, 'ca%d.pem' % n)
            with open(path, 'wb') as f:
                f.write(ca.cert_pem)
            paths.append(path)
        self.conf.config(trusted_ca_certs=paths, group='vnf_package')

    def check(self, data):
        root = os.path.join(self.state_dir, 'pkg')
        for name, content in packages.members(data).items():
            packages.write(root, name, content, mode='wb')
        return csar_integrity.check(root, csar_layout.find(root))

    def signed(self, source='flat_simple', **options):
        options.setdefault('sign_key', self.signer.key_pem)
        options.setdefault('sign_cert', self.signer.cert_pem)
        return packages.build(source, manifest=True, **options)

    def test_verified_with_certificate_file(self):
        self.trust(pki.make_ca('Unrelated CA'), self.ca)
        result = self.check(self.signed(cert_file=True))
        self.assertEqual('VERIFIED', result.signature.state)
        self.assertIn('BEGIN CERTIFICATE', result.signing_certificate)
        self.assertEqual('VERIFIED', result.signature_metadata()['state'])

    def test_unverified_without_ca(self):
        result = self.check(self.signed('k8s_simple'))
        self.assertEqual('UNVERIFIED', result.signature.state)
        self.assertIsNone(result.signing_certificate)
        self.assertIn('no trusted CA', result.signature_metadata()['reason'])

    def test_bad_signature_is_422(self):
        self.trust(self.ca)
        data = self.signed()
        manifest = packages.members(data)['firewall_vnfd.mf']
        tampered = manifest.replace(b'vnf_package_version: 1.2',
                                    b'vnf_package_version: 9.9')
        e = self.assertRaises(sol_ex.SolException, self.check, packages.rezip(
            data, {'firewall_vnfd.mf': tampered}))
        self.assertEqual(422, e.status)
        self.assertIn('The CMS signature of the manifest firewall_vnfd.mf is '
                      'not valid', e.detail)

    def test_certificate_without_signature(self):
        data = packages.build('flat_simple')
        data = packages.rezip(data, {'firewall_vnfd.cert':
                                     self.signer.cert_pem})
        e = self.assertRaises(sol_ex.SolException, self.check, data)
        self.assertIn('carries the signing certificate firewall_vnfd.cert',
                      e.detail)
        self.assertIn('has no CMS signature', e.detail)

    def test_unreadable_ca_file_is_503(self):
        self.conf.config(trusted_ca_certs=[os.path.join(
            self.state_dir, 'absent.pem')], group='vnf_package')
        e = self.assertRaises(sol_ex.SolException, self.check,
                              self.signed())
        self.assertEqual(503, e.status)
        self.assertIn('absent.pem', e.detail)
        self.assertIn('trusted_ca_certs', e.detail)
