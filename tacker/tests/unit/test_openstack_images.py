"""Software images of a package into Glance: what is read, what is asked.

The package side runs on packages on-boarded into the test's own store,
written the ways vendors write them; the Glance side against a small
Glance of the test's own that answers the v2 calls the driver makes
(no client library is replaced: the driver's VIM object is).
"""
import copy
import hashlib
import io
import os
import re
import urllib.parse
import uuid

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.common import vnf_package_store as store
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.infra_drivers.openstack import images
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim
from tacker.sol_refactored import objects
from tacker.tests import base
from tacker.tests.unit.data import packages

DF = 'Definitions/sample_df_simple.yaml'
IMAGE = 'Files/images/cirros.qcow2'
SRC = os.path.join(packages.HERE, 'openstack_simple')
OLD_HASH = ('6513f21e44aa3da349f248188a44bc304a3653a04122d8fb4535423c8e1d14'
            'cd6a153f735bb0982e2161b5b5186106570c17a9e58b64dd39390617cd5a35'
            '0f78')


def _file_bytes():
    with open(os.path.join(SRC, IMAGE), 'rb') as f:
        return f.read()


DATA = _file_bytes()
SHA512 = hashlib.sha512(DATA).hexdigest()
SHA256 = hashlib.sha256(DATA).hexdigest()


def right_checksum(src):
    """The test package's VDU1 image gets the file's real checksum."""
    path = os.path.join(src, DF)
    with open(path) as f:
        text = f.read()
    # Only VDU1's (the first) names the file; the storage keeps its own.
    text = text.replace(OLD_HASH, SHA512, 1)
    with open(path, 'w') as f:
        f.write(text)


def vendor_style(src):
    """Another way vendors write it.

    A package-root path, SHA-256 in capitals, MiB, and the volume made
    from the same file (an artifact of its own).
    """
    packages.replace(src, DF, 'file: ../Files/images/cirros.qcow2',
                     'file: Files/images/cirros.qcow2')
    packages.replace(src, DF, '''            algorithm: sha-512
            hash: %s
          container_format: bare
          disk_format: qcow2
          min_disk: 1 GB
          min_ram: 256 MB''' % OLD_HASH, '''            algorithm: SHA-256
            hash: %s
          container_format: bare
          disk_format: raw
          min_disk: 1500 MB
          min_ram: 512 MiB''' % SHA256.upper())
    packages.replace(src, DF, '''          min_disk: 1 GB
          size: 1 GB
''', '''          min_disk: 1 GB
          size: 1 GB
      artifacts:
        volume_image:
          type: tosca.artifacts.nfv.SwImage
          file: ../Files/images/cirros.qcow2
''')
    packages.replace(src, DF, 'hash: %s' % OLD_HASH, 'hash: %s' % SHA512)


class PackageCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.ctx = sol_context.Context.admin()
        self.conf.config(enable_on_onboarding=True, group='vnf_package')

    def onboard(self, edit=None):
        pkg = objects.VnfPkgInfo(
            id=str(uuid.uuid4()), onboardingState='CREATED',
            operationalState='DISABLED', usageState='NOT_IN_USE',
            createdAt=timeutil.utcnow())
        with db_api.writer(self.ctx) as session:
            pkg.create(session)
        data = packages.build('openstack_simple', edit=edit)
        return store.onboard(self.ctx, pkg.id, io.BytesIO(data), len(data))


class TestSpecs(PackageCase):

    def test_file_relative_to_the_descriptor(self):
        pkg = self.onboard(right_checksum)
        [spec] = images.package_specs(pkg, 'simple')
        self.assertEqual({
            'node': 'VDU1', 'kind': 'vdu', 'path': IMAGE,
            'name': 'cirros-0.5.2', 'version': '0.5.2',
            'algorithm': 'sha512', 'hash': SHA512,
            'containerFormat': 'bare', 'diskFormat': 'qcow2',
            'minDisk': 1, 'minRam': 256}, spec)

    def test_vendor_style(self):
        pkg = self.onboard(vendor_style)
        vdu1, storage = images.package_specs(pkg, 'simple')
        self.assertEqual(('VDU1', 'vdu', IMAGE, 'sha256', SHA256),
                         (vdu1['node'], vdu1['kind'], vdu1['path'],
                          vdu1['algorithm'], vdu1['hash']))
        self.assertEqual(('bare', 'raw', 2, 512),
                         (vdu1['containerFormat'], vdu1['diskFormat'],
                          vdu1['minDisk'], vdu1['minRam']))
        self.assertEqual(('VirtualStorage', 'storage', IMAGE, 'sha512', 1,
                          0), (storage['node'], storage['kind'],
                               storage['path'], storage['algorithm'],
                               storage['minDisk'], storage['minRam']))

    def test_no_file_keeps_the_name(self):
        # The v1 sample names images the cloud has: nothing to upload.
        pkg = self.onboard()
        flavour = pkg.vnfdSummary['flavours']['simple']
        vnfd = store.load_vnfd(pkg)
        found = images.specs(store.package_dir(pkg.id), flavour,
                             {'VDU1': dict(vnfd.software_images()['VDU1'],
                                           imagePath='')})
        self.assertEqual([], found)

    def test_unknown_algorithm_is_422(self):
        pkg = self.onboard(packages.replacing(DF, 'algorithm: sha-512',
                                              'algorithm: md5'))
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              images.package_specs, pkg, 'simple')
        self.assertIn('VDU1', e.detail)
        self.assertIn('md5', e.detail)
        self.assertIn(IMAGE, e.detail)

    def test_a_symbolic_link_out_of_the_package_is_422(self):
        pkg = self.onboard(right_checksum)
        path = os.path.join(store.package_dir(pkg.id), IMAGE)
        os.unlink(path)
        outside = os.path.join(self.state_dir, 'secret')
        with open(outside, 'w') as f:
            f.write('not for the VIM')
        os.symlink(outside, path)
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              images.package_specs, pkg, 'simple')
        self.assertIn('cirros.qcow2', e.detail)
        self.assertIn('is outside the', e.detail)
        # The check holds on its own too (a parse cached from before).
        e = self.assertRaises(
            images.ImageError, images._checked_path,
            store.package_dir(pkg.id), 'VDU1', IMAGE)
        self.assertIn('through a symbolic link', str(e))

    def test_paths_that_leave_the_package(self):
        root = os.path.join(self.state_dir, 'pkg')
        os.makedirs(root)
        flavour = {'vdus': {'VDU1': {'virtualStorages': []}}}
        image = {'name': 'x', 'checksum': {'algorithm': 'sha-256',
                                           'hash': 'ab'},
                 'containerFormat': 'BARE', 'diskFormat': 'RAW'}
        for path in ('../../etc/passwd', '/etc/passwd',
                     'Files/../../x.img'):
            e = self.assertRaises(images.ImageError, images.specs, root,
                                  flavour, {'VDU1': dict(image,
                                                         imagePath=path)})
            self.assertIn(path, str(e))
        e = self.assertRaises(images.ImageError, images.specs, root,
                              flavour, {'VDU1': dict(image,
                                                     imagePath='Files/no')})
        self.assertIn('not a file', str(e))

    def test_units(self):
        self.assertEqual(0, images._units(0, images.GIB, images.GB))
        self.assertEqual(1, images._units(images.GIB, images.GIB, images.GB))
        self.assertEqual(3, images._units(3 * images.GB, images.GIB,
                                          images.GB))
        self.assertEqual(1, images._units(1, images.GIB, images.GB))
        self.assertEqual(256, images._units(256 * images.MB, images.MIB,
                                            images.MB))

    def test_hash_names(self):
        for name in ('sha-256', 'SHA-256', 'sha256', 'SHA_256'):
            self.assertEqual('sha256', images.hash_name(name))
        self.assertEqual('sha512', images.hash_name('sha-512'))
        self.assertIsNone(images.hash_name('md5'))


class Glance:
    """The part of Glance v2 the driver uses, with the Nova server list."""

    def __init__(self):
        self.images = {}
        self.calls = []
        self.servers = {}
        self.fail_put = None

    def add(self, **image):
        image.setdefault('id', str(uuid.uuid4()))
        image.setdefault('status', 'active')
        self.images[image['id']] = image
        return image

    def get(self, what, service_type, path):
        return self.rest(what, service_type, 'GET', path)

    def rest(self, what, service_type, method, path, body=None):
        self.calls.append((method, path))
        if service_type == 'compute':
            image_id = urllib.parse.parse_qs(
                urllib.parse.urlsplit(path).query)['image'][0]
            return {'servers': [{'id': s} for s, i in self.servers.items()
                                if i == image_id]}
        parts = urllib.parse.urlsplit(path)
        match = re.fullmatch(r'/v2/images(?:/([^/]+))?', parts.path)
        image_id = match.group(1)
        if method == 'GET' and image_id is None:
            query = {k: v[0] for k, v in
                     urllib.parse.parse_qs(parts.query).items()}
            return {'images': [copy.deepcopy(i) for i in
                               self.images.values()
                               if all(i.get(k) == v
                                      for k, v in query.items())]}
        if method == 'POST':
            image = dict(body, id=str(uuid.uuid4()), status='queued',
                         size=None, os_hash_algo=None, os_hash_value=None)
            self.images[image['id']] = image
            return copy.deepcopy(image)
        if image_id not in self.images:
            error = os_vim.VimError('%s: image answered 404' % what)
            error.http_status = 404
            raise error
        if method == 'DELETE':
            del self.images[image_id]
            return {}
        return copy.deepcopy(self.images[image_id])

    def put_data(self, what, service_type, path, stream, read_timeout):
        image_id = path.split('/')[3]
        self.calls.append(('PUT', path))
        if self.fail_put:
            raise os_vim.VimError(self.fail_put)
        data = stream.read()
        self.images[image_id].update(
            status='active', size=len(data), os_hash_algo='sha512',
            os_hash_value=hashlib.sha512(data).hexdigest(),
            checksum=hashlib.md5(data).hexdigest())


class FakeWork:
    def __init__(self, context):
        self.context = context
        self.state = {}
        self.lcmocc = objects.VnfLcmOpOcc(id=str(uuid.uuid4()))
        self.old_inst = objects.VnfInstance(id=str(uuid.uuid4()))
        self.saved = []

    def save_progress(self):
        self.saved.append(copy.deepcopy(self.state))


class TestUpload(PackageCase):

    def setUp(self):
        super().setUp()
        self.glance = Glance()
        self.work = FakeWork(self.ctx)

    def upload(self, pkg, key='images'):
        images.upload(self.work, self.glance, key, pkg, 'simple')
        return self.work.state[key]

    def creates(self):
        return [c for c in self.glance.calls if c[0] == 'POST']

    def test_uploads_and_records(self):
        pkg = self.onboard(right_checksum)
        record = self.upload(pkg)
        [image] = self.glance.images.values()
        self.assertEqual(
            {'imageId': image['id'], 'name': 'cirros-0.5.2',
             'uploaded': True, 'sha512': SHA512, 'path': IMAGE,
             'kind': 'vdu', 'phase': 'ready'}, record['VDU1'])
        self.assertEqual(('active', 'bare', 'qcow2', 1, 256, 'private'),
                         (image['status'], image['container_format'],
                          image['disk_format'], image['min_disk'],
                          image['min_ram'], image['visibility']))
        self.assertEqual(self.work.old_inst.id, image[images.OWNER])
        self.assertEqual(self.work.lcmocc.id, image[images.OPERATION])
        self.assertEqual(SHA512, image[images.CONTENT])
        self.assertEqual(len(DATA), image['size'])
        # Saved before the image was created.
        self.assertEqual('creating', self.work.saved[0]['images']['VDU1'][
            'phase'])
        self.assertIsNone(self.work.saved[0]['images']['VDU1']['imageId'])
        self.assertEqual({'VDU1': image['id']},
                         images.image_ids(self.work, 'images'))
        self.assertEqual([{'vduId': 'VDU1', 'imageId': image['id'],
                           'name': 'cirros-0.5.2', 'uploaded': True}],
                         images.recorded(record))

        # Done already: nothing more is asked of Glance.
        calls = len(self.glance.calls)
        self.upload(pkg)
        self.assertEqual(calls, len(self.glance.calls))

    def test_reuses_an_active_image_of_the_same_content(self):
        pkg = self.onboard(right_checksum)
        other = self.glance.add(name='someone-elses', container_format='bare',
                                disk_format='qcow2', os_hash_algo='sha512',
                                os_hash_value=SHA512)
        self.glance.add(name='same-data-other-format',
                        container_format='bare', disk_format='raw',
                        os_hash_algo='sha512', os_hash_value=SHA512)
        record = self.upload(pkg)
        self.assertEqual(other['id'], record['VDU1']['imageId'])
        self.assertFalse(record['VDU1']['uploaded'])
        self.assertEqual([], self.creates())

    def test_wrong_checksum_names_the_file_and_creates_nothing(self):
        pkg = self.onboard()
        e = self.assertRaises(sol_ex.UnprocessableEntity, self.upload, pkg)
        self.assertIn(IMAGE, e.detail)
        self.assertIn('VDU1', e.detail)
        self.assertIn(OLD_HASH, e.detail)
        self.assertEqual({}, self.glance.images)

    def test_retry_after_a_crash_before_the_id_was_saved(self):
        pkg = self.onboard(right_checksum)
        # The first attempt created the image and died before recording.
        made = self.glance.add(
            name='cirros-0.5.2', status='queued', container_format='bare',
            disk_format='qcow2', **{images.OPERATION: self.work.lcmocc.id,
                                    images.CONTENT: SHA512,
                                    images.OWNER: self.work.old_inst.id})
        self.work.state['images'] = {'VDU1': images._entry(
            {'name': 'cirros-0.5.2', 'path': IMAGE, 'kind': 'vdu'}, SHA512,
            None, True, 'creating')}
        record = self.upload(pkg)
        self.assertEqual(made['id'], record['VDU1']['imageId'])
        self.assertEqual([], self.creates())
        self.assertEqual('active', self.glance.images[made['id']]['status'])

    def test_retry_after_a_failed_data_upload(self):
        pkg = self.onboard(right_checksum)
        self.glance.fail_put = 'image answered 503'
        self.assertRaises(os_vim.VimError, self.upload, pkg)
        [image_id] = self.glance.images
        self.assertEqual(image_id,
                         self.work.state['images']['VDU1']['imageId'])
        self.glance.fail_put = None
        record = self.upload(pkg)
        self.assertEqual(image_id, record['VDU1']['imageId'])
        self.assertEqual(1, len(self.creates()))

    def test_undo_deletes_only_what_it_uploaded(self):
        pkg = self.onboard(vendor_style)
        kept = self.glance.add(name='ours-by-name', container_format='bare',
                               disk_format='qcow2', os_hash_algo='sha512',
                               os_hash_value=SHA512)
        record = self.upload(pkg)
        self.assertEqual(kept['id'], record['VirtualStorage']['imageId'])
        uploaded = record['VDU1']['imageId']
        self.assertTrue(record['VDU1']['uploaded'])
        images.undo_upload(self.work, self.glance, 'images')
        self.assertEqual([kept['id']], list(self.glance.images))
        self.assertNotIn('images', self.work.state)
        self.assertNotIn(uploaded, self.glance.images)

    def _instance_naming(self, image_id):
        info = objects.InstantiatedVnfInfo(
            flavourId='simple', vnfState='STARTED',
            metadata={'images': [{'vduId': 'VDU1', 'imageId': image_id,
                                  'name': 'x', 'uploaded': False}]})
        inst = objects.VnfInstance(
            id=str(uuid.uuid4()), vnfdId='vnfd-1', vnfProvider='Company',
            vnfProductName='VNF', vnfSoftwareVersion='1.0',
            vnfdVersion='1.0', instantiationState='INSTANTIATED',
            instantiatedVnfInfo=info, createdAt=timeutil.utcnow())
        with db_api.writer(self.ctx) as session:
            inst.create(session)
        return inst

    def test_release_keeps_what_others_use(self):
        ours = {images.OWNER: 'someone'}
        used_by_record = self.glance.add(name='a', **ours)['id']
        run_by_server = self.glance.add(name='b', **ours)['id']
        not_tackers = self.glance.add(name='c')['id']
        free = self.glance.add(name='d', **ours)['id']
        self._instance_naming(used_by_record)
        self.glance.servers['srv-1'] = run_by_server
        deleted = images.release(
            self.work, self.glance,
            [used_by_record, run_by_server, not_tackers, free, 'gone'])
        self.assertEqual([free], deleted)
        self.assertEqual({used_by_record, run_by_server, not_tackers},
                         set(self.glance.images))

    def test_release_keeps_what_an_unfinished_operation_names(self):
        image_id = self.glance.add(name='a', **{images.OWNER: 'x'})['id']
        inst = self._instance_naming('other')
        occ = objects.VnfLcmOpOcc(
            id=str(uuid.uuid4()), operationState='FAILED_TEMP',
            stateEnteredTime=timeutil.utcnow(), startTime=timeutil.utcnow(),
            vnfInstanceId=inst.id, operation='INSTANTIATE',
            isAutomaticInvocation=False, isCancelPending=False,
            stepRecord={'done': [], 'state': {'images': {'VDU1': {
                'imageId': image_id}}}})
        with db_api.writer(self.ctx) as session:
            occ.create(session)
        self.assertEqual([], images.release(self.work, self.glance,
                                            [image_id]))
        self.assertIn(image_id, self.glance.images)
