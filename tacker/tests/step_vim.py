"""An infra driver over an in-memory VIM, for tests of the LCM frame.

It is registered only by tests (never through setup.cfg). Each operation
is a few named steps that change ``resources``; a test arms ``failures``
to make a given step (or its undo) raise, and reads ``calls`` to see which
steps really ran. The frame cannot tell it from a real driver, which is
the point: the frame's failure, rollback and retry rules are tested for
every step.
"""
import threading

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers import base
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored import objects

VIM_TYPE = 'TEST.STEP_VIM.V_1'


class StepVim(base.InfraDriver):
    vim_type = VIM_TYPE
    INSTANTIATE_STEPS = ('create_network', 'create_servers', 'wait_ready')
    TERMINATE_STEPS = ('delete_servers', 'delete_network')

    def __init__(self):
        self.lock = threading.Lock()
        self.resources = {}
        self.failures = {}
        self.calls = []
        # Set by a test to hold a step until it is released.
        self.gates = {}

    def fail(self, name, times=1, message='the VIM refused the request'):
        self.failures[name] = [times, message]

    def _run(self, name, action):
        with self.lock:
            self.calls.append(name)
            failure = self.failures.get(name)
            if failure and failure[0] > 0:
                failure[0] -= 1
                raise sol_ex.SolException(failure[1])
        gate = self.gates.get(name)
        if gate is not None:
            gate.wait(30)
        with self.lock:
            action()

    # -- instantiate -----------------------------------------------------

    def instantiate_steps(self, work):
        inst_id = work.lcmocc.vnfInstanceId

        def add(kind):
            return lambda w: self._run(kind, lambda: self.resources.setdefault(
                inst_id, {}).__setitem__(kind, '%s-%s' % (kind, inst_id)))

        def remove(kind):
            return lambda w: self._run('undo_' + kind, lambda: self.resources
                                       .get(inst_id, {}).pop(kind, None))

        def wait(w):
            # Waiting creates nothing: there is nothing to undo.
            self._run('wait_ready', lambda: None)

        return [Step('create_network', add('create_network'),
                     remove('create_network')),
                Step('create_servers', add('create_servers'),
                     remove('create_servers')),
                Step('wait_ready', wait)]

    def instantiated_info(self, work):
        inst_id = work.lcmocc.vnfInstanceId
        held = self.resources.get(inst_id, {})
        return objects.InstantiatedVnfInfo(
            flavourId=work.req.flavourId, vnfState='STARTED',
            vnfcResourceInfo=[objects.VnfcResourceInfo(
                id='vnfc-' + inst_id, vduId='VDU1',
                vnfdId=work.inst.vnfdId,
                computeResource=objects.ResourceHandle(
                    resourceId=held['create_servers'],
                    vimLevelResourceType='TEST::Server'))],
            vnfVirtualLinkResourceInfo=[objects.VnfVirtualLinkResourceInfo(
                id='vl-' + inst_id, vnfVirtualLinkDescId='VL1',
                networkResource=objects.ResourceHandle(
                    resourceId=held['create_network']))])

    # -- terminate -------------------------------------------------------

    def terminate_steps(self, work):
        inst_id = work.lcmocc.vnfInstanceId
        kinds = {'delete_servers': 'create_servers',
                 'delete_network': 'create_network'}

        def delete(name):
            return lambda w: self._run(name, lambda: self.resources.get(
                inst_id, {}).pop(kinds[name], None))

        def recreate(name):
            kind = kinds[name]
            return lambda w: self._run('undo_' + name, lambda: self.resources
                                       .setdefault(inst_id, {}).__setitem__(
                                           kind, '%s-%s' % (kind, inst_id)))

        return [Step(name, delete(name), recreate(name))
                for name in self.TERMINATE_STEPS]
