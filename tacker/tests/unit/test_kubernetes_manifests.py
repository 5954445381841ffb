"""Reading the manifests a request names from a package."""
import gzip
import io
import os
import tarfile

import fixtures
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import manifests

DEPLOYMENT = '''apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'nginx:1.27'}]}
'''


class TestLoad(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(self.root, 'Files', 'kubernetes'))
        self.write('Files/kubernetes/deployment.yaml', DEPLOYMENT.encode())

    def write(self, rel, data):
        with open(os.path.join(self.root, rel), 'wb') as f:
            f.write(data)
        return rel

    def test_manifest_is_read(self):
        objs = manifests.load(self.root, ['Files/kubernetes/deployment.yaml'])
        self.assertEqual([{'kind': 'Deployment', 'name': 'web'}],
                         [manifests.ref(o) for o in objs])

    def test_helm_chart_archive_is_400_naming_the_file(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode='w') as tar:
            info = tarfile.TarInfo('web/Chart.yaml')
            body = b'apiVersion: v2\nname: web\nversion: 0.1.0\n'
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        rel = self.write('Files/kubernetes/web-0.1.0.tgz',
                         gzip.compress(buf.getvalue()))
        exc = self.assertRaises(sol_ex.BadRequest, manifests.load,
                                self.root, [rel])
        self.assertIn('web-0.1.0.tgz is not a UTF-8 YAML manifest', str(exc))

    def test_binary_that_decodes_as_utf8_is_400(self):
        rel = self.write('Files/kubernetes/blob.bin', b'kind: \x00\x01\x02')
        exc = self.assertRaises(sol_ex.BadRequest, manifests.load,
                                self.root, [rel])
        self.assertIn('blob.bin is not a UTF-8 YAML manifest', str(exc))

    def test_nul_in_path_is_400(self):
        exc = self.assertRaises(sol_ex.BadRequest, manifests.load,
                                self.root, ['Files/kubernetes/x\0.yaml'])
        self.assertIn('not a path of a file', str(exc))

    def test_invalid_yaml_is_422(self):
        rel = self.write('Files/kubernetes/bad.yaml', b'kind: [unclosed\n')
        exc = self.assertRaises(sol_ex.UnprocessableEntity, manifests.load,
                                self.root, [rel])
        self.assertIn('bad.yaml is not valid YAML', str(exc))
