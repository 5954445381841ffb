"""CSAR uploads an attacker shapes, sent to the real tacker-server.

A small archive that unpacks past the limit; a package whose vnfdId is
taken, carrying a member that lies about its size (refused for the
vnfdId before that member is written); work directories a crashed upload
left behind, removed when the server starts again.
"""
import io
import os
import socket
import subprocess
import uuid
import zipfile

from tacker.tests.functional import base
from tacker.tests.unit.data import packages

PKGS = '/vnfpkgm/v1/vnf_packages'
MIB = 1024 * 1024


def with_member(data, name, content):
    return packages.rezip(data, replace={name: content})


def lying_member(data, name, size, declared):
    """The archive with one more member declaring fewer bytes than it has."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, 'a', zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, b'\0' * size)
    raw = bytearray(buf.getvalue())
    encoded = name.encode()
    # The member's own headers: found by its name after them.
    for sig, size_at in ((b'PK\x03\x04', 22), (b'PK\x01\x02', 24)):
        at = 0
        while True:
            at = raw.find(sig, at)
            name_at = at + (30 if sig == b'PK\x03\x04' else 46)
            if raw[name_at:name_at + len(encoded)] == encoded:
                break
            at += 4
        raw[at + size_at:at + size_at + 4] = declared.to_bytes(4, 'little')
    return bytes(raw)


class TestUploadBounds(base.FunctionalTestCase):
    service_options = {
        ('vnf_package', 'min_unpacked_allowance'): str(4 * MIB),
        ('vnf_package', 'max_unpacked_ratio'): '10'}

    def setUp(self):
        super().setUp()
        self.pkg_client = self.client.__class__(self.service.base_url,
                                                version=None)
        self.csar_dir = os.path.join(self.service.state_dir, 'vnf_packages')

    def create(self):
        resp = self.pkg_client.request('POST', PKGS, {})
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.body['id']

    def upload(self, pkg_id, data):
        return self.pkg_client.request(
            'PUT', '%s/%s/package_content' % (PKGS, pkg_id), data=data,
            headers={'Content-Type': 'application/zip'})

    def show(self, pkg_id):
        return self.pkg_client.request('GET', '%s/%s' % (PKGS, pkg_id)).body

    def work_dirs(self):
        if not os.path.isdir(self.csar_dir):
            return []
        return [n for n in os.listdir(self.csar_dir) if n.startswith('.')]

    def test_small_zip_that_unpacks_past_the_limit_is_413(self):
        data = with_member(packages.build('k8s_simple'), 'Files/zeros',
                           b'\0' * (8 * MIB))
        self.assertLess(len(data), 100 * 1024)
        pkg_id = self.create()
        resp = self.upload(pkg_id, data)
        self.assertEqual(413, resp.status_code, resp.text)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertIn('once unpacked', resp.body['detail'])
        pkg = self.show(pkg_id)
        self.assertEqual('CREATED', pkg['onboardingState'])
        self.assertEqual(413, pkg['onboardingFailureDetails']['status'])
        self.assertEqual([], self.work_dirs())
        self.assertFalse(os.path.exists(os.path.join(self.csar_dir,
                                                     pkg_id)))
        # The same package, without the bomb, is taken afterwards.
        resp = self.upload(pkg_id, packages.build('k8s_simple'))
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertEqual('ONBOARDED', self.show(pkg_id)['onboardingState'])

    def test_taken_vnfd_id_is_refused_before_the_big_members(self):
        first = self.add_package()
        data = packages.build('k8s_simple', edit=packages.with_vnfd_id(
            'k8s_simple', first['vnfdId']))
        # Were it written, this member would fail the upload with 400.
        data = lying_member(data, 'Files/images/disk.img', 2 * MIB, 16)
        pkg_id = self.create()
        resp = self.upload(pkg_id, data)
        self.assertEqual(409, resp.status_code, resp.text)
        self.assertIn(first['vnfdId'], resp.body['detail'])
        self.assertEqual([], self.work_dirs())

        # With a vnfdId of its own, the lie is found while unpacking.
        data = packages.build('k8s_simple', edit=packages.with_vnfd_id(
            'k8s_simple', str(uuid.uuid4())))
        data = lying_member(data, 'Files/images/disk.img', 2 * MIB, 16)
        resp = self.upload(pkg_id, data)
        self.assertEqual(400, resp.status_code, resp.text)
        self.assertIn('Files/images/disk.img', resp.body['detail'])
        self.assertEqual([], self.work_dirs())

    def test_leftovers_of_a_crashed_upload_go_at_start(self):
        os.makedirs(self.csar_dir, exist_ok=True)
        gone = subprocess.Popen(['true'])
        gone.wait()
        host = socket.gethostname()
        dead = '.upload-%s-%d-%s-x1' % (host, gone.pid, uuid.uuid4())
        alive = '.upload-%s-%d-%s-x2' % (host, os.getpid(), uuid.uuid4())
        for name in (dead, alive):
            os.makedirs(os.path.join(self.csar_dir, name, 'contents'))
            with open(os.path.join(self.csar_dir, name, 'package.zip'),
                      'wb') as f:
                f.write(b'\0' * MIB)
        self.service.server.stop()
        self.service.start_server()
        self.client = self.client.__class__(self.service.base_url)
        self.assertEqual([alive], self.work_dirs())
        self.assertIn('Removed 1 work directories', self.service.logs())
