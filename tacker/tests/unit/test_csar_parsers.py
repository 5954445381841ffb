"""TOSCA.meta, the manifest, digests and the two CSAR structures."""
import hashlib
import os

from tacker.sol_refactored.common import csar_digest
from tacker.sol_refactored.common import csar_integrity
from tacker.sol_refactored.common import csar_layout
from tacker.sol_refactored.common import csar_manifest
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import tosca_meta
from tacker.tests import base
from tacker.tests.unit.data import packages

META = 'TOSCA-Metadata/TOSCA.meta'
MANIFEST_HEAD = (
    'metadata:\n'
    'vnf_provider_id: Example Networks\n'
    'vnf_product_name: Edge Firewall\n'
    'vnf_release_date_time: 2024-03-01T10:00:00+00:00\n'
    'vnf_package_version: 1.2\n'
    'compatible_specification_versions: 3.3.1, 4.4.1\n')


def sha(data, name='sha256'):
    return hashlib.new(name, data).hexdigest()


class RootTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.root = os.path.join(self.state_dir, 'pkg')
        os.makedirs(self.root)

    def write(self, rel, text):
        packages.write(self.root, rel, text)

    def assertRefused(self, func, *fragments, status=422):
        e = self.assertRaises(sol_ex.SolException, func)
        self.assertEqual(status, e.status, e.detail)
        for fragment in fragments:
            self.assertIn(fragment, e.detail)
        return e


class TestToscaMeta(RootTestCase):

    def parse(self, text):
        self.write(META, text)
        return tosca_meta.parse(self.root)

    def test_block0_and_etsi_keys(self):
        meta = self.parse(
            'TOSCA-Meta-File-Version: 1.0\n'
            'CSAR-Version: 1.1\n'
            'Created-By: Example Networks\n'
            'Entry-Definitions: ./Definitions//vnfd.yaml\n'
            'ETSI-Entry-Manifest: vnfd.mf\n'
            'ETSI-Entry-Change-Log: Files/ChangeLog.txt\n'
            'ETSI-Entry-Certificate: Files/vnfd.cert\n'
            'ETSI-Entry-Licenses: Files/Licenses\n'
            'ETSI-Entry-Tests: Files/Tests\n')
        self.assertEqual('Definitions/vnfd.yaml', meta.entry_definitions)
        self.assertEqual('vnfd.mf', meta.manifest)
        self.assertEqual('Files/ChangeLog.txt', meta.change_log)
        self.assertEqual('Files/vnfd.cert', meta.certificate)
        self.assertEqual('Files/Licenses', meta.licenses)
        self.assertEqual('Files/Tests', meta.tests)
        self.assertEqual([], meta.files)

    def test_file_blocks(self):
        meta = self.parse(
            'Entry-Definitions: Definitions/vnfd.yaml\n'
            '\n'
            'Name: Scripts/install.sh\n'
            'Content-Type: application/x-sh\n'
            'Algorithm: SHA-256\n'
            'Hash: ab\n'
            '\n'
            'Source: Files/a.txt\n'
            'Content-Type: text/plain\n')
        first, second = meta.files
        self.assertEqual('Scripts/install.sh', first.name)
        self.assertEqual('application/x-sh', first.content_type)
        self.assertEqual(('SHA-256', 'ab'), (first.algorithm, first.hash))
        self.assertEqual(3, first.line)
        self.assertEqual('Files/a.txt', second.name)
        self.assertIsNone(second.algorithm)

    def test_continuation_line(self):
        meta = self.parse('Entry-Definitions: Definitions/\n'
                          ' vnfd.yaml\n'
                          'Created-By: Example\n')
        self.assertEqual('Definitions/ vnfd.yaml', meta.entry_definitions)

    def test_bad_line(self):
        self.assertRefused(lambda: self.parse('Entry-Definitions: a.yaml\n'
                                              'not a key value line\n'),
                           'line 2')

    def test_repeated_key(self):
        self.assertRefused(lambda: self.parse('Entry-Definitions: a.yaml\n'
                                              'Entry-Definitions: b.yaml\n'),
                           'line 2', 'repeats the key Entry-Definitions')

    def test_hash_without_algorithm(self):
        self.assertRefused(lambda: self.parse(
            'Entry-Definitions: a.yaml\n\nName: x.sh\nHash: ab\n'),
            'x.sh', 'Hash without Algorithm')

    def test_file_block_without_name(self):
        self.assertRefused(lambda: self.parse(
            'Entry-Definitions: a.yaml\n\nContent-Type: text/plain\n'),
            'line 3', 'no Name')

    def test_paths_must_stay_inside(self):
        for key in ('Entry-Definitions', 'ETSI-Entry-Manifest'):
            text = 'Entry-Definitions: a.yaml\n%s: ../x\n' % key
            if key == 'Entry-Definitions':
                text = 'Entry-Definitions: ../x\n'
            self.assertRefused(lambda: self.parse(text), key,
                               'relative path inside the package')

    def test_not_utf8(self):
        self.write(META, '')
        with open(os.path.join(self.root, *META.split('/')), 'wb') as f:
            f.write(b'Entry-Definitions: \xff\n')
        self.assertRefused(lambda: tosca_meta.parse(self.root), 'UTF-8')


class TestManifest(base.TestCase):

    def parse(self, text):
        data = text.encode() if isinstance(text, str) else text
        return csar_manifest.parse('vnfd.mf', data)

    def test_metadata_and_entries(self):
        manifest = self.parse(
            MANIFEST_HEAD +
            '\n'
            'Source: Definitions/vnfd.yaml\n'
            'Algorithm: SHA-256\n'
            'Hash: 01ab\n'
            '\n'
            'Source: https://vendor.example/vnf/1.2/image.qcow2\n'
            'Algorithm: sha512\n'
            'Hash: cd\n'
            '\n'
            'non_mano_artifact_sets:\n'
            '  prv.example.onap:\n'
            '    Source: Files/onap/ves.json\n'
            '    Source: Files/onap/pm.yaml\n'
            '  prv.example.docs:\n'
            '    Source: Files/doc.txt\n')
        self.assertEqual('Edge Firewall',
                         manifest.metadata['vnf_product_name'])
        self.assertEqual('3.3.1, 4.4.1', manifest.metadata[
            'compatible_specification_versions'])
        first, second = manifest.entries
        self.assertEqual(('Definitions/vnfd.yaml', 'SHA-256', '01ab', 8),
                         (first.source, first.algorithm, first.hash,
                          first.line))
        self.assertFalse(first.external)
        self.assertTrue(second.external)
        self.assertEqual(
            {'prv.example.onap': ['Files/onap/ves.json',
                                  'Files/onap/pm.yaml'],
             'prv.example.docs': ['Files/doc.txt']},
            manifest.non_mano_sets)
        self.assertIsNone(manifest.cms)

    def test_indented_metadata(self):
        manifest = self.parse(MANIFEST_HEAD.replace('\nvnf', '\n  vnf'))
        self.assertEqual('Example Networks',
                         manifest.metadata['vnf_provider_id'])

    def test_missing_metadata(self):
        e = self.assertRaises(sol_ex.SolException, self.parse,
                              'metadata:\nvnf_provider_id: x\n')
        self.assertEqual(422, e.status)
        self.assertIn('vnf_product_name, vnf_release_date_time, '
                      'vnf_package_version', e.detail)

    def test_entry_without_hash(self):
        e = self.assertRaises(sol_ex.SolException, self.parse,
                              MANIFEST_HEAD + '\nSource: a.sh\n'
                              'Algorithm: SHA-256\n')
        self.assertIn('a.sh (line 8) without Hash', e.detail)

    def test_unknown_entry_key(self):
        e = self.assertRaises(sol_ex.SolException, self.parse,
                              MANIFEST_HEAD + '\nSource: a.sh\nSize: 3\n')
        self.assertIn('line 9 has the key Size', e.detail)

    def test_per_artifact_signature_is_refused(self):
        e = self.assertRaises(sol_ex.SolException, self.parse,
                              MANIFEST_HEAD + '\nSource: a.sh\n'
                              'Algorithm: SHA-256\nHash: ab\n'
                              'Signature: a.sh.sig.cms\n')
        self.assertIn('not supported', e.detail)

    def test_source_twice_and_outside(self):
        entry = '\nSource: %s\nAlgorithm: SHA-256\nHash: ab\n'
        e = self.assertRaises(sol_ex.SolException, self.parse,
                              MANIFEST_HEAD + entry % 'a' + entry % './a')
        self.assertIn('lists a a second time', e.detail)
        e = self.assertRaises(sol_ex.SolException, self.parse,
                              MANIFEST_HEAD + entry % '../etc/passwd')
        self.assertIn('relative path inside the package', e.detail)

    def test_cms_block_is_split_off(self):
        body = MANIFEST_HEAD + '\n'
        manifest = self.parse(body + '-----BEGIN CMS-----\nAAEC\nAw==\n'
                              '-----END CMS-----\n')
        self.assertEqual(body.encode(), manifest.signed_content)
        self.assertEqual(b'\0\1\2\3', manifest.cms)

    def test_cms_block_errors(self):
        for text, fragment in (
                ('-----BEGIN CMS-----\nAAEC\n', 'no -----END CMS-----'),
                ('-----BEGIN CMS-----\nAAEC\n-----END CMS-----\nmore\n',
                 'text after'),
                ('-----BEGIN CMS-----\n!!!\n-----END CMS-----\n',
                 'not base64'),
                ('x: -----BEGIN CMS-----\n-----END CMS-----\n',
                 'inside a line'),
                ('-----END CMS-----\n', 'without -----BEGIN CMS-----')):
            e = self.assertRaises(sol_ex.SolException, self.parse,
                                  MANIFEST_HEAD + text)
            self.assertIn(fragment, e.detail)


class TestDigest(base.TestCase):

    def test_algorithm_names(self):
        for name in ('SHA-256', 'sha-256', 'SHA256', 'sha256', 'Sha_256'):
            self.assertEqual('SHA256', csar_digest.normalise(name))
        self.assertEqual('SHA384', csar_digest.normalise('sha-384'))
        self.assertEqual('SHA512', csar_digest.normalise('SHA512'))
        for name in ('MD5', 'SHA-1', 'SHA3-256', '', None):
            self.assertIsNone(csar_digest.normalise(name))

    def test_verify_file_streams(self):
        path = os.path.join(self.state_dir, 'big')
        data = os.urandom(csar_digest.CHUNK * 2 + 17)
        with open(path, 'wb') as f:
            f.write(data)
        for algorithm, name in (('SHA-256', 'sha256'), ('sha384', 'sha384'),
                                ('SHA512', 'sha512')):
            got = csar_digest.verify_file('the manifest m.mf', 'big', path,
                                          algorithm, sha(data, name).upper())
            self.assertEqual(sha(data, name), got['hash'])
            self.assertEqual(csar_digest.report_name(algorithm),
                             got['algorithm'])

    def test_mismatch_names_file_and_both_hashes(self):
        path = os.path.join(self.state_dir, 'f')
        with open(path, 'wb') as f:
            f.write(b'new')
        e = self.assertRaises(csar_digest.DigestError,
                              csar_digest.verify_file, 'the manifest m.mf',
                              'Scripts/f', path, 'SHA-256', sha(b'old'))
        self.assertIn('Scripts/f', str(e))
        self.assertIn('expected %s' % sha(b'old'), str(e))
        self.assertIn('found %s' % sha(b'new'), str(e))

    def test_unknown_algorithm_and_malformed_hash(self):
        e = self.assertRaises(csar_digest.DigestError,
                              csar_digest.check_listing, 'the manifest m.mf',
                              'a.sh', 'MD5', 'ab')
        self.assertIn("'MD5', which is not supported", str(e))
        e = self.assertRaises(csar_digest.DigestError,
                              csar_digest.check_listing, 'the manifest m.mf',
                              'a.sh', 'SHA-256', 'xyz')
        self.assertIn('not 64 hexadecimal digits', str(e))


class TestLayout(RootTestCase):

    def flat(self, name='vnfd.yaml', metadata=True, manifest=True):
        text = 'tosca_definitions_version: tosca_simple_yaml_1_2\n'
        if metadata:
            text += ('metadata:\n  template_name: fw\n'
                     '  template_version: "1.0"\n')
        self.write(name, text)
        if manifest:
            self.write(name.rsplit('.', 1)[0] + '.mf', MANIFEST_HEAD)

    def test_without_tosca_meta(self):
        self.flat()
        self.write('vnfd.cert', 'cert')
        self.write('ChangeLog.txt', 'log')
        self.write('Licenses/a.txt', 'lic')
        layout = csar_layout.find(self.root)
        self.assertFalse(layout.has_tosca_meta)
        self.assertEqual(('vnfd.yaml', 'vnfd.mf', 'vnfd.cert'),
                         (layout.entry, layout.manifest, layout.certificate))
        self.assertEqual({'ChangeLog.txt': 'HISTORY',
                          'Licenses': 'LICENSE'}, layout.classified())

    def test_without_tosca_meta_needs_the_manifest(self):
        self.flat(manifest=False)
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'vnfd.mf', 'not there')

    def test_without_tosca_meta_needs_template_metadata(self):
        self.flat(metadata=False)
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'template_name', 'template_version')

    def test_two_root_yaml_files(self):
        self.flat()
        self.write('other.yml', 'a: 1\n')
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'other.yml, vnfd.yaml', 'exactly one')

    def test_neither(self):
        self.write('Definitions/vnfd.yaml', 'a: 1\n')
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'neither TOSCA-Metadata/TOSCA.meta nor')

    def test_signed_zip_option_2_is_named(self):
        self.write('package.zip', 'PK')
        self.write('package.cms', 'x')
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'security option 2')

    def test_tosca_meta_names_the_parts(self):
        self.write('Definitions/vnfd.yaml', 'a: 1\n')
        self.write('Files/vendor.mf', MANIFEST_HEAD)
        self.write('Files/vendor.cert', 'c')
        self.write('Files/Tests/t.sh', 't')
        self.write(META, 'Entry-Definitions: Definitions/vnfd.yaml\n'
                         'ETSI-Entry-Manifest: Files/vendor.mf\n'
                         'ETSI-Entry-Certificate: Files/vendor.cert\n'
                         'ETSI-Entry-Tests: Files/Tests\n')
        layout = csar_layout.find(self.root)
        self.assertTrue(layout.has_tosca_meta)
        self.assertEqual(('Files/vendor.mf', 'Files/vendor.cert'),
                         (layout.manifest, layout.certificate))
        self.assertEqual({'Files/Tests': 'TESTING'}, layout.classified())

    def test_tosca_meta_names_a_missing_part(self):
        self.write('Definitions/vnfd.yaml', 'a: 1\n')
        self.write(META, 'Entry-Definitions: Definitions/vnfd.yaml\n'
                         'ETSI-Entry-Change-Log: ChangeLog.txt\n')
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'ETSI-Entry-Change-Log names ChangeLog.txt',
                           'not in the package')

    def test_manifest_by_base_name_and_unnamed_manifests(self):
        self.write('Definitions/vnfd.yaml', 'a: 1\n')
        self.write(META, 'Entry-Definitions: Definitions/vnfd.yaml\n')
        self.write('vnfd.mf', MANIFEST_HEAD)
        self.assertEqual('vnfd.mf', csar_layout.find(self.root).manifest)
        self.write('stray.mf', MANIFEST_HEAD)
        self.assertRefused(lambda: csar_layout.find(self.root),
                           'stray.mf', 'ETSI-Entry-Manifest')


class TestIntegrity(RootTestCase):

    def setUp(self):
        super().setUp()
        self.write('Definitions/vnfd.yaml', 'a: 1\n')
        self.write('Scripts/install.sh', 'echo hi\n')

    def check(self, manifest_text=None, meta_blocks=''):
        self.write(META, 'Entry-Definitions: Definitions/vnfd.yaml\n' +
                   ('ETSI-Entry-Manifest: vnfd.mf\n' if manifest_text
                    else '') + meta_blocks)
        if manifest_text:
            self.write('vnfd.mf', manifest_text)
        return csar_integrity.check(self.root, csar_layout.find(self.root))

    def entry(self, source, data=None, algorithm='SHA-256'):
        name = csar_digest.ALGORITHMS.get(
            csar_digest.normalise(algorithm), ('sha256',))[0]
        return '\nSource: %s\nAlgorithm: %s\nHash: %s\n' % (
            source, algorithm, sha(data, name) if data is not None else
            '0' * 64)

    def test_good_manifest(self):
        result = self.check(MANIFEST_HEAD +
                            self.entry('Scripts/install.sh', b'echo hi\n',
                                       'sha-512') +
                            self.entry('https://vendor.example/a.bin'))
        self.assertEqual({'Scripts/install.sh': {
            'algorithm': 'SHA-512', 'hash': sha(b'echo hi\n', 'sha512')}},
            result.checksums)
        self.assertEqual(['https://vendor.example/a.bin'],
                         [e.source for e in result.external])
        self.assertEqual({'state': 'NOT_SIGNED'},
                         result.signature_metadata())

    def test_bad_hash(self):
        self.assertRefused(lambda: self.check(
            MANIFEST_HEAD + self.entry('Scripts/install.sh', b'echo bye\n')),
            'Scripts/install.sh', 'expected', 'found %s' % sha(b'echo hi\n'))

    def test_listed_file_missing(self):
        self.assertRefused(lambda: self.check(
            MANIFEST_HEAD + self.entry('Scripts/gone.sh', b'')),
            'lists Scripts/gone.sh (line 8), which is not in the package')

    def test_unknown_algorithm(self):
        self.assertRefused(lambda: self.check(
            MANIFEST_HEAD + '\nSource: Scripts/install.sh\nAlgorithm: MD5\n'
            'Hash: %s\n' % hashlib.md5(b'echo hi\n').hexdigest()),
            'Scripts/install.sh', "'MD5'", 'SHA-256, SHA-384 or SHA-512')

    def test_non_mano_set_file_missing(self):
        self.assertRefused(lambda: self.check(
            MANIFEST_HEAD + '\nnon_mano_artifact_sets:\n  prv.x:\n'
            '    Source: Files/absent.json\n'),
            'Files/absent.json', 'prv.x')

    def test_tosca_meta_blocks(self):
        good = ('\nName: Scripts/install.sh\nContent-Type: application/x-sh'
                '\nAlgorithm: SHA256\nHash: %s\n' % sha(b'echo hi\n'))
        result = self.check(meta_blocks=good)
        self.assertEqual('SHA-256',
                         result.checksums['Scripts/install.sh']['algorithm'])
        self.assertRefused(lambda: self.check(meta_blocks=good.replace(
            sha(b'echo hi\n'), sha(b'x'))),
            'TOSCA-Metadata/TOSCA.meta', 'Scripts/install.sh', 'expected')
        self.assertRefused(lambda: self.check(
            meta_blocks='\nName: Scripts/missing.sh\n'),
            'Scripts/missing.sh', 'not in the package')

    def test_certificate_without_signature(self):
        self.write('vnfd.cert', 'x')
        self.assertRefused(lambda: self.check(MANIFEST_HEAD),
                           'vnfd.cert', 'not valid')
