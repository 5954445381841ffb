"""fail of an OpenStack change_vnfpkg: the bounded re-read of the record.

A VIM that cannot be reached, or that accepts and never answers, must not
make fail fail: the former record is kept, the stacks the step record
names go into metadata.otherStackIds (for terminate) and a note says why
the record was not re-read. Real sockets, no client mocked.
"""
import socket
import time

from tacker.sol_refactored.infra_drivers.openstack import change_failed
from tacker.sol_refactored.lcm import change_vnfpkg
from tacker.sol_refactored import objects
from tacker.tests import base

SECRET = 'vim-s3cret-9'


def _given_up(endpoint, state):
    inst = objects.VnfInstance(
        id='inst-1', vnfdId='vnfd-old',
        vimConnectionInfo={'vim1': {
            'vimType': 'ETSINFV.OPENSTACK_KEYSTONE.V_3',
            'interfaceInfo': {'endpoint': endpoint},
            'accessInfo': {'username': 'u', 'password': SECRET,
                           'project': 'p'}}},
        instantiatedVnfInfo=objects.InstantiatedVnfInfo(
            flavourId='simple', vnfState='STARTED',
            metadata={'stack_id': 'stack-old'}))
    lcmocc = objects.VnfLcmOpOcc(
        id='occ-1', operation='CHANGE_VNFPKG',
        operationParams={'vnfdId': 'vnfd-new', 'additionalParams': {
            'upgrade_type': 'BlueGreen'}})
    return change_vnfpkg.GivenUp(None, lcmocc, inst,
                                 change_vnfpkg.ChangeVnfPkgOperation(),
                                 state)


class TestFailedReread(base.TestCase):
    state = {'upgradeType': 'BlueGreen', 'newStackId': 'stack-new'}

    def test_unreachable_vim_keeps_the_record_with_a_note(self):
        free = socket.socket()
        free.bind(('127.0.0.1', 0))
        port = free.getsockname()[1]
        free.close()
        work = _given_up('http://127.0.0.1:%d/v3' % port, self.state)
        info = change_failed.failed_info(work, timeout=20)
        meta = info.metadata
        self.assertEqual('stack-old', meta['stack_id'])
        self.assertEqual(['stack-new'], meta['otherStackIds'])
        self.assertIn('could not be re-read', meta['notReReadAfterFail'])
        self.assertNotIn(SECRET, meta['notReReadAfterFail'])

    def test_silent_vim_is_given_up_at_the_bound(self):
        # Accepted by the kernel, never answered.
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(('127.0.0.1', 0))
        listener.listen(8)
        work = _given_up('http://127.0.0.1:%d/v3' %
                         listener.getsockname()[1], self.state)
        started = time.monotonic()
        info = change_failed.failed_info(work, timeout=0.5)
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn('did not answer within 0.5s',
                      info.metadata['notReReadAfterFail'])
        self.assertEqual(['stack-new'], info.metadata['otherStackIds'])

    def test_other_stacks_for_terminate(self):
        info = objects.InstantiatedVnfInfo(
            flavourId='simple', vnfState='STARTED',
            metadata={'stack_id': 's', 'otherStackIds': ['t']})
        self.assertEqual(['t'], change_failed.other_stacks(info))
        info.metadata = {'stack_id': 's'}
        self.assertEqual([], change_failed.other_stacks(info))
