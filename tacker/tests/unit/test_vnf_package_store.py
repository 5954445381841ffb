"""The package store that LCM operations call, and the CSAR reader."""
import io
import os
import socket
import subprocess
import zipfile

from oslo_utils import uuidutils

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import csar
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.common import vnf_package_store as store
from tacker.sol_refactored.common import vnfd as vnfd_mod
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.objects import vnf_package
from tacker.tests import base
from tacker.tests.unit.data import packages


class TestStore(base.TestCase):

    def setUp(self):
        super().setUp()
        self.ctx = sol_context.Context.admin()

    def _created(self):
        pkg = vnf_package.VnfPkgInfo(
            id=uuidutils.generate_uuid(),
            onboardingState='CREATED', operationalState='DISABLED',
            usageState='NOT_IN_USE', createdAt=timeutil.utcnow())
        with db_api.writer(self.ctx) as session:
            pkg.create(session)
        return pkg

    def _onboarded(self, name='openstack_simple', enable=True):
        self.conf.config(enable_on_onboarding=enable, group='vnf_package')
        pkg = self._created()
        data = packages.build(name)
        return store.onboard(self.ctx, pkg.id, io.BytesIO(data), len(data))

    def test_usable_package(self):
        pkg = self._onboarded()
        found = store.get_usable_package(self.ctx, packages.OPENSTACK_VNFD_ID)
        self.assertEqual(pkg.id, found.id)
        with db_api.reader(self.ctx) as session:
            found = store.get_usable_package(
                self.ctx, packages.OPENSTACK_VNFD_ID, session=session)
        self.assertEqual(pkg.id, found.id)

    def test_unknown_vnfd_id(self):
        e = self.assertRaises(sol_ex.SolException, store.get_usable_package,
                              self.ctx, 'no-such-vnfd')
        self.assertEqual(404, e.status)
        self.assertIn('no-such-vnfd', e.detail)

    def test_disabled_package(self):
        pkg = self._onboarded(enable=False)
        e = self.assertRaises(sol_ex.SolException, store.get_usable_package,
                              self.ctx, packages.OPENSTACK_VNFD_ID)
        self.assertEqual(422, e.status)
        self.assertIn(pkg.id, e.detail)
        self.assertIn('operationalState is DISABLED', e.detail)

    def test_package_not_onboarded(self):
        # Only reachable through a row written by hand (or a future
        # state such as PROCESSING); the check must still hold.
        pkg = self._created()
        pkg.vnfdId = 'half-done'
        with db_api.writer(self.ctx) as session:
            pkg.update(session)
        e = self.assertRaises(sol_ex.SolException, store.get_usable_package,
                              self.ctx, 'half-done')
        self.assertEqual(422, e.status)
        self.assertIn('onboardingState is CREATED', e.detail)

    def test_package_dir_and_vnfd(self):
        pkg = self._onboarded()
        root = store.package_dir(pkg.id)
        self.assertTrue(os.path.isfile(os.path.join(
            root, 'BaseHOT', 'simple', 'simple_hot.yaml')))
        vnfd = store.load_vnfd(pkg)
        self.assertEqual(['simple'], list(vnfd.flavours))
        self.assertEqual({'VDU1', 'VDU2'},
                         set(vnfd.flavours['simple']['vdus']))
        self.assertEqual(packages.OPENSTACK_VNFD_ID,
                         vnfd.vnf['descriptor_id'])
        self.assertEqual({'VDU1', 'VirtualStorage'},
                         set(vnfd.software_images()))

    def test_load_vnfd_of_created_package(self):
        pkg = self._created()
        e = self.assertRaises(sol_ex.SolException, store.load_vnfd, pkg)
        self.assertEqual(409, e.status)


class TestCsar(base.TestCase):

    def test_receive_stops_a_chunked_upload_at_the_limit(self):
        dest = os.path.join(self.state_dir, 'in.zip')
        stream = io.BytesIO(b'x' * 5000)
        e = self.assertRaises(sol_ex.SolException, csar.receive, stream,
                              None, 4096, dest)
        self.assertEqual(413, e.status)
        self.assertIn('4096', e.detail)

    def test_receive_without_length(self):
        dest = os.path.join(self.state_dir, 'in.zip')
        digest = csar.receive(io.BytesIO(b'abc'), None, 10, dest)
        self.assertEqual(
            'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a'
            '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
            digest)

    def _zip(self, members):
        path = os.path.join(self.state_dir, 'x.zip')
        with zipfile.ZipFile(path, 'w') as z:
            for name, data in members:
                z.writestr(name, data)
        return path

    def test_unpacked_size_is_bounded_before_anything_is_written(self):
        path = os.path.join(self.state_dir, 'bomb.zip')
        with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
            z.writestr('Definitions/a.yaml', b'a: 1')
            z.writestr('Files/zeros', b'\0' * (16 * 1024 + 1))
        out = os.path.join(self.state_dir, 'out')
        e = self.assertRaises(sol_ex.SolException, csar.Unpacker, path,
                              16 * 1024)
        self.assertEqual(413, e.status)
        self.assertIn('%d once unpacked' % (16 * 1024 + 5), e.detail)
        self.assertFalse(os.path.exists(out))

    def test_a_member_bigger_than_declared_is_refused(self):
        path = self._zip([('Files/data', b'x' * 4096)])
        with open(path, 'rb') as f:
            data = bytearray(f.read())
        # Both the local header and the central directory say 16 bytes.
        local = data.find(b'PK\x03\x04')
        central = data.find(b'PK\x01\x02')
        data[local + 22:local + 26] = (16).to_bytes(4, 'little')
        data[central + 24:central + 28] = (16).to_bytes(4, 'little')
        with open(path, 'wb') as f:
            f.write(data)
        e = self.assertRaises(sol_ex.SolException, csar.extract, path,
                              os.path.join(self.state_dir, 'out'), 10 ** 6)
        self.assertEqual(400, e.status)
        self.assertIn("'Files/data'", e.detail)

    def test_first_pass_writes_what_is_not_under_files(self):
        big = b'\1' * (1024 * 1024)
        path = self._zip([('TOSCA-Metadata/TOSCA.meta', b'x'),
                          ('Definitions/vnfd.yaml', b'y'),
                          ('Files/images/big.img', big),
                          ('Files/kubernetes/small.yaml', b'z'),
                          ('Scripts/big.py', big)])
        out = os.path.join(self.state_dir, 'out')
        with csar.Unpacker(path, 10 ** 8) as unpacker:
            unpacker.first(out)
            for rel in ('TOSCA-Metadata/TOSCA.meta', 'Definitions/vnfd.yaml',
                        'Scripts/big.py'):
                self.assertTrue(os.path.isfile(os.path.join(out, rel)), rel)
            self.assertFalse(os.path.exists(os.path.join(out, 'Files')))
            unpacker.rest(out)
        with open(os.path.join(out, 'Files', 'images', 'big.img'),
                  'rb') as f:
            self.assertEqual(big, f.read())

    def test_budget(self):
        mib = 1024 * 1024
        self.assertEqual(64 * mib, csar.unpacked_budget(mib, 10, 4096 * mib,
                                                        64 * mib))
        self.assertEqual(100 * mib, csar.unpacked_budget(
            10 * mib, 10, 4096 * mib, 64 * mib))
        self.assertEqual(4096 * mib, csar.unpacked_budget(
            1024 * mib, 10, 4096 * mib, 64 * mib))

    def test_backslash_member(self):
        path = self._zip([('Scripts\\..\\..\\evil', b'x')])
        e = self.assertRaises(sol_ex.SolException, csar.extract, path,
                              os.path.join(self.state_dir, 'out'), 10 ** 6)
        self.assertEqual(400, e.status)
        self.assertFalse(os.path.exists(os.path.join(self.state_dir,
                                                     'evil')))

    def test_duplicate_member(self):
        path = os.path.join(self.state_dir, 'dup.zip')
        with zipfile.ZipFile(path, 'w') as z:
            z.writestr('a/b', b'1')
            z.writestr('a/./b', b'2')
        e = self.assertRaises(sol_ex.SolException, csar.extract, path,
                              os.path.join(self.state_dir, 'out'), 10 ** 6)
        self.assertEqual(400, e.status)
        self.assertIn('twice', e.detail)


class TestLeftovers(base.TestCase):

    def test_only_dirs_of_gone_processes_of_this_host(self):
        root = os.path.join(self.state_dir, 'vnf_packages')
        os.makedirs(root)
        gone = subprocess.Popen(['true'])
        gone.wait()
        pkg = uuidutils.generate_uuid()
        host = socket.gethostname()
        names = {
            'dead': '.upload-%s-%d-%s-abc' % (host, gone.pid, pkg),
            'dead_delete': '.delete-%s-%d-%s-abc' % (host, gone.pid, pkg),
            'alive': '.upload-%s-%d-%s-abc' % (host, os.getpid(), pkg),
            'other_host': '.upload-elsewhere-%d-%s-abc' % (gone.pid, pkg),
            'old_style': '.upload-%s-abc' % pkg,
            'package': pkg}
        for name in names.values():
            os.makedirs(os.path.join(root, name, 'contents'))
        removed = store.remove_leftovers()
        self.assertEqual(sorted([names['dead'], names['dead_delete'],
                                 names['old_style']]), sorted(removed))
        self.assertEqual(sorted([names['alive'], names['other_host'],
                                 names['package']]), sorted(os.listdir(root)))

    def test_work_prefix_names_this_process(self):
        prefix = store.work_prefix('upload', 'p')
        self.assertEqual('.upload-%s-%d-p-' % (socket.gethostname(),
                                               os.getpid()), prefix)


class TestVnfd(base.TestCase):

    def test_single_file_vnfd(self):
        root = os.path.join(self.state_dir, 'pkg')
        packages.write(root, 'Definitions/vnfd.yaml',
                       packages.SINGLE_FILE_VNFD)
        for name in os.listdir(packages.REPO_TYPES):
            with open(os.path.join(packages.REPO_TYPES, name)) as f:
                packages.write(root, 'Definitions/' + name, f.read())
        vnfd = vnfd_mod.Vnfd(root, 'Definitions/vnfd.yaml')
        self.assertEqual(packages.SINGLE_FILE_VNFD_ID,
                         vnfd.vnf['descriptor_id'])
        self.assertEqual(['tiny'], list(vnfd.flavours))
        self.assertEqual('vdu1', vnfd.flavours['tiny']['vdus']['VDU1'][
            'name'])
        self.assertEqual({}, vnfd.software_images())
