"""A tacker-conductor killed while a CoordinateVNF script runs.

The script starts a sleeper in a new session (holding its stdout) and
waits; the conductor running the change is then killed with SIGKILL.
The sleeper must go with it, so that a retry never finds the former run
still at work; the operation goes to FAILED_TEMP as for any dead
conductor.
"""
import os
import time
import uuid

from tacker.tests.functional import base
from tacker.tests.functional import service
from tacker.tests.functional import test_conductors_rabbitmq as rabbit
from tacker.tests.functional import test_coordinate_confinement as confined
from tacker.tests.unit.data import packages

ESCAPER = '''
import subprocess, sys, time

MARKER = %r


class Escaper:
    def coordinate(self, request):
        subprocess.Popen([sys.executable, '-c',
                          'import time; time.sleep(300)', MARKER],
                         start_new_session=True)
        time.sleep(300)
        return {}
'''


class TestConductorKilledDuringScript(base.FunctionalTestCase):
    transport_url = service.RABBIT_URL
    conductors = 2

    def setUp(self):
        if not service.rabbit_reachable():
            self.skipTest('RabbitMQ does not answer on %s:%d' %
                          service.RABBIT)
        super().setUp()
        self.marker = 'tacker-ft-escaper-%s' % uuid.uuid4()

    def package(self, script):
        vnfd_id = str(uuid.uuid4())
        rename = packages.with_vnfd_id('k8s_simple', vnfd_id)

        def edit(src):
            rename(src)
            with open(os.path.join(src, 'Scripts', 'escaper.py'), 'w') as f:
                f.write(script)
        return self.upload_package(packages.build('k8s_simple', edit=edit))

    def test_the_script_goes_with_the_conductor(self):
        inst = self.create_instance()
        self.client.wait_op(self.start_op(
            inst['id'], 'instantiate', self.instantiate_body()),
            ['COMPLETED'])
        v2 = self.package(ESCAPER % self.marker)
        occ_id = self.start_op(inst['id'], 'change_vnfpkg', {
            'vnfdId': v2['vnfdId'], 'additionalParams': {
                'upgrade_type': 'BlueGreen',
                'lcm-operation-coordinate-new-vnf': 'Scripts/escaper.py',
                'lcm-operation-coordinate-new-vnf-class': 'Escaper'}})
        self.wait_until(lambda: confined.running(self.marker),
                        'the script starting its sleeper', timeout=60)
        owner = rabbit.TestSeveralConductors._wait_owner(self, occ_id)
        victim = [c for c in self.service.conductors
                  if c.conductor_id == owner][0]
        victim.stop(sig=9)
        deadline = time.monotonic() + 30
        while confined.running(self.marker):
            self.assertLess(time.monotonic(), deadline,
                            'the sleeper outlived its conductor')
            time.sleep(0.1)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP'],
                                  timeout=60).body
        self.assertIn(owner, occ['error']['detail'])
