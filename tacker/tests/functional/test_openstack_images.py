"""Software images inside the VNF package, uploaded to the cloud's Glance.

The v1 (or v2) sample is edited so that VDU1 and the volume of VDU2 take
their image from a file of the package (Files/images/, a few KiB of
random bytes, raw/bare, min_disk 1 GB, min_ram 256 MB) under a name no
other test uses. What Tacker records is checked against Glance, Nova and
Cinder themselves; Heat is reached through the fault proxy, which fails
a stack create to see the rollback and the retry.
"""
import hashlib
import os
import uuid

from tacker.tests.functional import openstack_base as ob

CREATE_STACK = {'method': 'POST', 'path_regex': r'/stacks$'}
DF = os.path.join('Definitions', 'sample_os_df_simple.yaml')
FILE = 'Files/images/vnf-disk.img'
CHANGE_TIMEOUT = 600


def with_image_file(name, data, version='v1', digest=None):
    """An edit of a sample: its images come from a file of the package."""
    digest = digest or hashlib.sha256(data).hexdigest()

    def edit(src):
        path = os.path.join(src, *FILE.split('/'))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
        df = os.path.join(src, DF)
        with open(df) as f:
            text = f.read()
        number = version[1:]
        old = """          name: image-%s
          version: '%s.0'
          checksum:
            algorithm: sha-256
            hash: '%s'
          container_format: bare
          disk_format: raw
          min_disk: 0 GB
          size: 4 KiB""" % (version, number, '0' * 63 + '1')
        new = """          name: %s
          version: '%s.0'
          checksum:
            algorithm: sha-256
            hash: '%s'
          container_format: bare
          disk_format: raw
          min_disk: 1 GB
          min_ram: 256 MB
          size: %d B""" % (name, number, digest, len(data))
        assert text.count(old) == 2, 'the sample changed'
        text = text.replace(old, new)
        artifact = """      artifacts:
        sw_image:
          type: tosca.artifacts.nfv.SwImage
          file: ../%s
""" % FILE
        for head in ('    VDU1:\n      type: tosca.nodes.nfv.Vdu.Compute\n',
                     '    VirtualStorage:\n'
                     '      type: tosca.nodes.nfv.Vdu.VirtualBlockStorage\n'):
            assert head in text, head
            text = text.replace(head, head + artifact, 1)
        with open(df, 'w') as f:
            f.write(text)
    return edit


class ImagesTestCase(ob.OpenStackTestCase):

    def new_image(self, version='v1', digest=None):
        """(package, image name, data): a package with an image file."""
        name = 'tacker-func-%s' % uuid.uuid4().hex[:12]
        data = os.urandom(8192)
        pkg = self.onboard_sample(version, edit=with_image_file(
            name, data, version, digest))
        self.addCleanup(self._delete_images_named, name)
        return pkg, name, data

    def glance_images(self, name):
        return self.get('image', '/v2/images?name=' + name)['images']

    def _delete_images_named(self, name):
        """Cleanup: a failed test leaves no image in the shared cloud."""
        for image in self.glance_images(name):
            self.session.delete('/v2/images/' + image['id'],
                                endpoint_filter={'service_type': 'image',
                                                 'interface': 'public'})

    def recorded_images(self, inst):
        return {(i.get('vduId') or i.get('virtualStorageDescId')): i
                for i in inst['instantiatedVnfInfo']['metadata']['images']}

    def check_runs(self, inst, image_id):
        """Every server (or its boot volume) runs image_id."""
        info = inst['instantiatedVnfInfo']
        for vnfc in info['vnfcResourceInfo']:
            server = self.get('compute', '/servers/' + vnfc[
                'computeResource']['resourceId'])['server']
            self.assertEqual('ACTIVE', server['status'])
            if vnfc['vduId'] == 'VDU1':
                self.assertEqual(image_id, server['image']['id'])
        for storage in info['virtualStorageResourceInfo']:
            volume = self.get('block-storage', '/volumes/' + storage[
                'storageResource']['resourceId'])['volume']
            self.assertEqual(image_id,
                             volume['volume_image_metadata']['image_id'])

    def check_glance(self, name, data, owner):
        [image] = self.glance_images(name)
        self.assertEqual('active', image['status'])
        self.assertEqual(('bare', 'raw'), (image['container_format'],
                                           image['disk_format']))
        self.assertEqual((1, 256), (image['min_disk'], image['min_ram']))
        self.assertEqual('private', image['visibility'])
        self.assertEqual(len(data), image['size'])
        self.assertEqual(hashlib.sha512(data).hexdigest(),
                         image['os_hash_value'])
        self.assertEqual(hashlib.md5(data).hexdigest(), image['checksum'])
        self.assertEqual(owner, image['tacker_vnf_instance_id'])
        return image


class TestImagesUploaded(ImagesTestCase):

    def test_upload_reuse_and_removal_by_the_last_user(self):
        pkg, name, data = self.new_image()
        first = self.instantiated(pkg)
        image = self.check_glance(name, data, first['id'])
        recorded = self.recorded_images(first)
        self.assertEqual({'VDU1', 'VirtualStorage'}, set(recorded))
        for item in recorded.values():
            self.assertEqual(image['id'], item['imageId'])
            self.assertEqual(name, item['name'])
            self.assertTrue(item['uploaded'])
        self.check_runs(first, image['id'])
        stack = self.stack(first['instantiatedVnfInfo']['metadata'][
            'stack_id'])
        self.assertIn(image['id'], str(stack['parameters']['nfv']))

        # A second VNF of the same package: the same image, not uploaded.
        second = self.instantiated(pkg)
        self.assertEqual([image['id']],
                         [i['id'] for i in self.glance_images(name)])
        for item in self.recorded_images(second).values():
            self.assertEqual(image['id'], item['imageId'])
            self.assertFalse(item['uploaded'])
        self.check_runs(second, image['id'])

        # The uploader goes first: the other VNF still runs the image.
        self.terminate(first['id'])
        self.check_glance(name, data, first['id'])
        self.terminate(second['id'])
        self.assertEqual([], self.glance_images(name))
        self.assertIsNone(self.get('image', '/v2/images/' + image['id'],
                                   ok_404=True))

    def test_stack_create_fails_then_retry_uploads_once(self):
        pkg, name, data = self.new_image()
        inst = self.create(pkg)
        self.proxy.fail(500, body=ob.heat_error('heat-engine is gone '
                                                '(injected)'),
                        nth=1, **CREATE_STACK)
        occ_id = self.start_instantiate(inst['id'])
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn('create_stack', occ['error']['detail'])
        image = self.check_glance(name, data, inst['id'])

        self.op_action(occ_id, 'retry')
        self.wait_op(occ_id, 'COMPLETED')
        self.assertEqual([image['id']],
                         [i['id'] for i in self.glance_images(name)])
        inst = self.show(inst['id'])
        self.check_runs(inst, image['id'])
        self.terminate(inst['id'])
        self.assertEqual([], self.glance_images(name))

    def test_stack_create_fails_then_rollback_removes_the_image(self):
        pkg, name, data = self.new_image()
        inst = self.create(pkg)
        before = self.show(inst['id'])
        self.proxy.fail(500, body=ob.heat_error('heat-engine is gone '
                                                '(injected)'),
                        nth=1, **CREATE_STACK)
        occ_id = self.start_instantiate(inst['id'])
        self.wait_op(occ_id, 'FAILED_TEMP')
        self.check_glance(name, data, inst['id'])
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK')
        self.assertEqual([], self.glance_images(name))
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))
        self.assertEqual(before, self.show(inst['id']))


class TestWrongChecksum(ImagesTestCase):

    def test_failed_temp_naming_the_file_retry_rollback_and_fail(self):
        pkg, name, _data = self.new_image(digest='ab' * 32)
        inst = self.create(pkg)
        occ_id = self.start_instantiate(inst['id'])
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        detail = occ['error']['detail']
        self.assertIn('upload_images', detail)
        self.assertIn(FILE, detail)
        self.assertIn('checksum', detail)
        self.assertEqual([], self.glance_images(name))
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))

        # The package does not change: a retry fails the same way.
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn(FILE, occ['error']['detail'])
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK')
        self.assertEqual([], self.glance_images(name))
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(inst['id'])['instantiationState'])

        occ_id = self.start_instantiate(inst['id'])
        self.wait_op(occ_id, 'FAILED_TEMP')
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/fail' % occ_id)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual('FAILED', resp.body['operationState'])
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(inst['id'])['instantiationState'])
        self.assertEqual([], self.glance_images(name))
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))


class TestChangeImages(ImagesTestCase):
    service_options = dict(ob.OpenStackTestCase.service_options)
    service_options[('openstack_vim', 'stack_update_timeout')] = '300'

    def setUp(self):
        super().setUp()
        self.old_pkg, self.old_name, self.old_data = self.new_image('v1')
        self.new_pkg, self.new_name, self.new_data = self.new_image('v2')
        self.inst = self.instantiated(self.old_pkg)
        self.old_image = self.check_glance(self.old_name, self.old_data,
                                           self.inst['id'])

    def change(self, upgrade_type='BlueGreen'):
        params = {'upgrade_type': upgrade_type,
                  'vdu_params': [{'vdu_id': 'VDU1'}, {'vdu_id': 'VDU2'}]}
        if upgrade_type == 'BlueGreen':
            params['external_lb_param'] = {
                'ip_address': '198.51.100.10', 'username': 'lb',
                'password': 'lb-s3cret-42'}
        return self.start_op(self.inst['id'], 'change_vnfpkg', {
            'vnfdId': self.new_pkg['vnfdId'], 'additionalParams': params})

    def test_old_images_go_with_the_old_stack(self):
        self.wait_op(self.change(), 'COMPLETED', CHANGE_TIMEOUT)
        inst = self.show(self.inst['id'])
        new_image = self.check_glance(self.new_name, self.new_data,
                                      self.inst['id'])
        for item in self.recorded_images(inst).values():
            self.assertEqual(new_image['id'], item['imageId'])
            self.assertTrue(item['uploaded'])
        self.check_runs(inst, new_image['id'])
        self.assertEqual([], self.glance_images(self.old_name))
        self.terminate(inst['id'])
        self.assertEqual([], self.glance_images(self.new_name))

    def test_rollback_removes_the_new_images(self):
        self.proxy.fail(500, body=ob.heat_error('heat-engine is gone '
                                                '(injected)'),
                        nth=1, **CREATE_STACK)
        occ_id = self.change()
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('create_new_stack', occ['error']['detail'])
        self.check_glance(self.new_name, self.new_data, self.inst['id'])
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', CHANGE_TIMEOUT)
        self.assertEqual([], self.glance_images(self.new_name))
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['instantiatedVnfInfo'],
                         inst['instantiatedVnfInfo'])
        self.check_glance(self.old_name, self.old_data, self.inst['id'])
        self.check_runs(inst, self.old_image['id'])

    def test_rolling_update_to_the_new_images(self):
        self.wait_op(self.change('RollingUpdate'), 'COMPLETED',
                     CHANGE_TIMEOUT)
        inst = self.show(self.inst['id'])
        new_image = self.check_glance(self.new_name, self.new_data,
                                      self.inst['id'])
        for item in self.recorded_images(inst).values():
            self.assertEqual(new_image['id'], item['imageId'])
        self.check_runs(inst, new_image['id'])
        self.assertEqual([], self.glance_images(self.old_name))
        self.terminate(inst['id'])
        self.assertEqual([], self.glance_images(self.new_name))
