"""On-boarding VNF packages as vendors write them, through the real server.

Both CSAR structures of SOL004, manifests with digests, and CMS-signed
manifests with and without a trusted CA; every answer is checked against
the ETSI OpenAPI by the client.
"""
import json
import os
import tempfile

from tacker.tests.functional import base
from tacker.tests.functional import service
from tacker.tests import pki
from tacker.tests.unit.data import packages

PKGS = '/vnfpkgm/v1/vnf_packages'
FLAT_VNFD_ID = '9d2f4c61-7b3e-4a58-8c1d-2e6f0a9b7c35'


class OnboardingTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.pkgm = service.Client(self.service.base_url, version=None)

    def new_package(self):
        resp = self.pkgm.request('POST', PKGS, {})
        self.assertEqual(201, resp.status_code, resp.text)
        self.assertNotIn('packageSecurityOption', resp.body)
        return resp.body['id']

    def put(self, pkg_id, content):
        return self.pkgm.request(
            'PUT', '%s/%s/package_content' % (PKGS, pkg_id), data=content,
            headers={'Content-Type': 'application/zip'})

    def show(self, pkg_id):
        resp = self.pkgm.request('GET', '%s/%s' % (PKGS, pkg_id))
        self.assertEqual(200, resp.status_code, resp.text)
        return resp.body

    def onboard(self, content):
        pkg_id = self.new_package()
        resp = self.put(pkg_id, content)
        self.assertEqual(202, resp.status_code, resp.text)
        body = self.show(pkg_id)
        self.assertEqual('ONBOARDED', body['onboardingState'])
        self.assertEqual('ENABLED', body['operationalState'])
        self.assertEqual('NOT_IN_USE', body['usageState'])
        self.assertEqual('OPTION_1', body['packageSecurityOption'])
        self.assertNotIn('onboardingFailureDetails', body)
        return body

    def refused(self, content, *fragments, pkg_id=None):
        """Upload; assert a 422 and a package left CREATED; the detail."""
        pkg_id = pkg_id or self.new_package()
        resp = self.put(pkg_id, content)
        self.assertEqual(422, resp.status_code, resp.text)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        for fragment in fragments:
            self.assertIn(fragment, resp.body['detail'])
        body = self.show(pkg_id)
        self.assertEqual('CREATED', body['onboardingState'])
        self.assertEqual('DISABLED', body['operationalState'])
        self.assertEqual(resp.body, body['onboardingFailureDetails'])
        for key in ('vnfdId', 'packageSecurityOption', 'additionalArtifacts',
                    'checksum'):
            self.assertNotIn(key, body)
        return pkg_id, resp.body['detail']

    @staticmethod
    def manifest_info(body, name):
        for artifact in body['additionalArtifacts']:
            if artifact.get('artifactPath') == name:
                return artifact['metadata']
        raise AssertionError('%s is not among the artifacts' % name)

    def signed(self, signer, source='flat_simple', **options):
        return packages.build(source, manifest=True,
                              sign_key=signer.key_pem,
                              sign_cert=signer.cert_pem, **options)


class TestStructuresAndDigests(OnboardingTestCase):

    def test_both_structures(self):
        flat = self.onboard(packages.build('flat_simple'))
        self.assertEqual(FLAT_VNFD_ID, flat['vnfdId'])
        self.assertEqual('Edge Firewall', flat['vnfProductName'])
        info = self.manifest_info(flat, 'firewall_vnfd.mf')
        self.assertEqual({'state': 'NOT_SIGNED'}, info['signature'])
        self.assertEqual('Example Networks',
                         info['manifest']['vnf_provider_id'])
        classes = {a['artifactPath']: a.get('artifactClassification')
                   for a in flat['additionalArtifacts']}
        self.assertEqual('HISTORY', classes['ChangeLog.txt'])
        self.assertEqual('LICENSE', classes['Licenses/LICENSE.txt'])
        resp = self.pkgm.request('GET', '%s/%s/vnfd' % (PKGS, flat['id']),
                                 headers={'Accept': 'text/plain'})
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertIn('template_name: firewall_vnfd', resp.text)

        meta = self.onboard(packages.build('k8s_simple', manifest=True,
                                           algorithm='SHA-512'))
        self.assertEqual(packages.K8S_VNFD_ID, meta['vnfdId'])
        self.assertEqual({'state': 'NOT_SIGNED'}, self.manifest_info(
            meta, 'sample_top.vnfd.mf')['signature'])
        checksums = {a['artifactPath']: a['checksum']
                     for a in meta['additionalArtifacts']}
        self.assertEqual('SHA-512', checksums[
            'Files/kubernetes/deployment.yaml']['algorithm'])

        # Both are usable at once: VNF instances can be created from them.
        for vnfd_id in (FLAT_VNFD_ID, packages.K8S_VNFD_ID):
            resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                       {'vnfdId': vnfd_id})
            self.assertEqual(201, resp.status_code, resp.text)

    def test_integrity_failures(self):
        good = packages.build('flat_simple')
        mf = packages.members(good)['firewall_vnfd.mf']
        pkg_id, detail = self.refused(
            packages.rezip(good, {'Files/kubernetes/deployment.yaml':
                                  b'kind: Deployment\n'}),
            'Files/kubernetes/deployment.yaml', 'firewall_vnfd.mf',
            'expected', 'found')
        self.refused(packages.rezip(good, remove=['ChangeLog.txt']),
                     'lists ChangeLog.txt', 'not in the package',
                     pkg_id=pkg_id)
        self.refused(
            packages.rezip(good, {'firewall_vnfd.mf': mf.replace(
                b'Algorithm: SHA-256', b'Algorithm: MD5', 1)}),
            "'MD5'", 'SHA-256, SHA-384 or SHA-512', pkg_id=pkg_id)
        self.refused(packages.rezip(good, remove=['firewall_vnfd.mf']),
                     'firewall_vnfd.mf', 'not there', pkg_id=pkg_id)
        # The same package takes a good upload afterwards.
        resp = self.put(pkg_id, good)
        self.assertEqual(202, resp.status_code, resp.text)
        body = self.show(pkg_id)
        self.assertEqual('ONBOARDED', body['onboardingState'])
        self.assertNotIn('onboardingFailureDetails', body)

    def test_signed_without_trusted_ca_is_unverified(self):
        signer = pki.make_signer(pki.make_ca())
        body = self.onboard(self.signed(signer, cert_file=True))
        sig = self.manifest_info(body, 'firewall_vnfd.mf')['signature']
        self.assertEqual('UNVERIFIED', sig['state'])
        self.assertIn('no trusted CA is configured', sig['reason'])
        self.assertEqual([signer.subject], sig['signers'])
        self.assertEqual(signer.cert_pem.decode(), body['signingCertificate'])
        self.assertIn('NOT verified', self.service.logs())
        # Tampering is found all the same.
        data = self.signed(signer, 'k8s_simple')
        mf = packages.members(data)['sample_top.vnfd.mf']
        self.refused(packages.rezip(data, {'sample_top.vnfd.mf': mf.replace(
            b'vnf_product_name: Sample K8s VNF',
            b'vnf_product_name: Other VNF')}),
            'CMS signature of the manifest sample_top.vnfd.mf',
            'changed after it was signed')


class TestManualGate(OnboardingTestCase):
    service_options = {('vnf_package', 'enable_on_onboarding'): 'false'}

    def test_onboarded_packages_stay_disabled(self):
        pkg_id = self.new_package()
        resp = self.put(pkg_id, packages.build('flat_simple'))
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertEqual('DISABLED', self.show(pkg_id)['operationalState'])
        patch = {'Content-Type': 'application/merge-patch+json'}
        body = json.dumps({'operationalState': 'ENABLED'})
        resp = self.pkgm.request('PATCH', '%s/%s' % (PKGS, pkg_id),
                                 data=body, headers=patch)
        self.assertEqual(200, resp.status_code, resp.text)
        # SOL005: enabling a package that is not DISABLED is a conflict.
        resp = self.pkgm.request('PATCH', '%s/%s' % (PKGS, pkg_id),
                                 data=body, headers=patch)
        self.assertEqual(409, resp.status_code, resp.text)
        self.assertIn('already ENABLED', resp.body['detail'])


class TestTrustedCa(OnboardingTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ca = pki.make_ca()
        cls.signer = pki.make_signer(cls.ca)
        fd, cls.ca_file = tempfile.mkstemp(suffix='.pem')
        with os.fdopen(fd, 'wb') as f:
            f.write(cls.ca.cert_pem)
        cls.service_options = {('vnf_package', 'trusted_ca_certs'):
                               cls.ca_file}

    @classmethod
    def tearDownClass(cls):
        os.unlink(cls.ca_file)
        super().tearDownClass()

    def test_verified(self):
        for source, options in (('flat_simple', {'cert_file': True}),
                                ('k8s_simple', {})):
            body = self.onboard(self.signed(self.signer, source, **options))
            name = packages.TOP_VNFD[source].rsplit('/', 1)[-1].rsplit(
                '.', 1)[0] + '.mf'
            sig = self.manifest_info(body, name)['signature']
            self.assertEqual('VERIFIED', sig['state'])
            self.assertEqual([self.ca.subject], sig['trustedBy'])
            self.assertEqual('signingCertificate' in body,
                             bool(options))

    def test_bad_signatures(self):
        stranger = pki.make_signer(pki.make_ca('Stranger CA'), 'Stranger')
        _pkg_id, detail = self.refused(self.signed(stranger),
                                       'CN=Stranger', 'does not chain')
        data = self.signed(self.signer)
        mf = packages.members(data)['firewall_vnfd.mf']
        self.refused(packages.rezip(data, {'firewall_vnfd.mf': mf.replace(
            b'vnf_package_version: 1.2', b'vnf_package_version: 1.3')}),
            'firewall_vnfd.mf', 'changed after it was signed')
        # A certificate file that is not the signer's.
        other = pki.make_signer(self.ca, 'Other Signer')
        data = self.signed(self.signer, cert_file=True)
        self.refused(packages.rezip(data, {
            'firewall_vnfd.cert': other.cert_pem}),
            'neither in the CMS signature nor in the package')
