"""An infra driver over a toy VIM, for tests of the LCM frame.

It is registered only by tests (never through setup.cfg). Each operation
is a few named steps that change the VIM's ``resources``; a test arms
failures to make a given step (or its undo) raise, and reads ``calls`` to
see which steps really ran. The frame cannot tell it from a real driver,
which is the point: the frame's failure, rollback and retry rules are
tested for every step.

In unit tests the VIM lives in memory. Functional tests run the driver in
real tacker-server / tacker-conductor processes (possibly several), so
there the VIM is a directory of JSON files that every process shares.
"""
import contextlib
import fcntl
import json
import os
import threading
import time

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers import base
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg
from tacker.sol_refactored import objects

VIM_TYPE = 'TEST.STEP_VIM.V_1'


class _MemoryStore:
    def __init__(self):
        self.data = {'resources': {}, 'fail': {}, 'calls': [], 'hang': []}
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def open(self):
        with self.lock:
            yield self.data


class _FileStore:
    """The state in a JSON file that several processes share.

    A process holding the lock may be killed at any moment (the tests kill
    servers with SIGKILL): the file is replaced atomically, and only when
    the state changed, so a kill never leaves it empty or half written.
    """

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def open(self):
        with self.lock, open(self.path + '.lock', 'a') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with open(self.path) as f:
                    text = f.read()
            except FileNotFoundError:
                text = ''
            data = json.loads(text) if text else {}
            for key, empty in (('resources', {}), ('fail', {}),
                               ('calls', []), ('hang', [])):
                data.setdefault(key, empty)
            before = json.dumps(data, sort_keys=True)
            try:
                yield data
            finally:
                # Written even when the step raises: the failure it
                # consumed must stay consumed.
                after = json.dumps(data, sort_keys=True)
                if after != before:
                    tmp = '%s.%d.tmp' % (self.path, os.getpid())
                    with open(tmp, 'w') as f:
                        f.write(after)
                    os.replace(tmp, self.path)


class StepVim(base.InfraDriver):
    vim_type = VIM_TYPE
    INSTANTIATE_STEPS = ('create_network', 'create_servers', 'wait_ready')
    TERMINATE_STEPS = ('delete_servers', 'delete_network')

    def __init__(self, store_file=None):
        self.store = (_FileStore(store_file) if store_file
                      else _MemoryStore())
        # Set by a unit test to hold a step until it is released.
        self.gates = {}

    # -- what tests use ----------------------------------------------------

    def fail_script(self, side, message):
        """Make the package's CoordinateVNF script itself fail once."""
        with self.store.open() as data:
            data.setdefault('script_fail', {})[side] = message

    def fail(self, name, times=1, message='the VIM refused the request'):
        with self.store.open() as data:
            data['fail'][name] = [times, message]

    def replace_on_undo(self):
        """Make the Rolling update's undo give the servers new ids.

        As Heat does when it puts a volume-booted server back on the old
        image.
        """
        with self.store.open() as data:
            data['replace_on_undo'] = True

    def hang(self, name):
        with self.store.open() as data:
            data['hang'].append(name)

    def release(self, name):
        with self.store.open() as data:
            data['hang'] = [n for n in data['hang'] if n != name]

    @property
    def calls(self):
        with self.store.open() as data:
            return list(data['calls'])

    @property
    def resources(self):
        with self.store.open() as data:
            return json.loads(json.dumps(data['resources']))

    # -- the VIM -----------------------------------------------------------

    def _run(self, name, action):
        with self.store.open() as data:
            data['calls'].append(name)
            failure = data['fail'].get(name)
            if failure and failure[0] > 0:
                failure[0] -= 1
                raise sol_ex.SolException(failure[1])
            hanging = name in data['hang']
        gate = self.gates.get(name)
        if gate is not None:
            gate.wait(30)
        delay = 0.01
        while hanging:
            # A VIM that does not answer; functional tests kill the
            # process stuck here, or release it with release().
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
            with self.store.open() as data:
                hanging = name in data['hang']
        with self.store.open() as data:
            action(data['resources'])

    def _add(self, inst_id, kind):
        def action(resources):
            resources.setdefault(inst_id, {})[kind] = '%s-%s' % (
                kind, inst_id)
        return action

    def _remove(self, inst_id, kind):
        def action(resources):
            resources.setdefault(inst_id, {}).pop(kind, None)
        return action

    def instantiate_steps(self, work):
        inst_id = work.lcmocc.vnfInstanceId

        def do(kind):
            return lambda w: self._run(kind, self._add(inst_id, kind))

        def undo(kind):
            return lambda w: self._run('undo_' + kind,
                                       self._remove(inst_id, kind))

        def wait(w):
            # Waiting creates nothing: there is nothing to undo.
            self._run('wait_ready', lambda resources: None)

        return [Step('create_network', do('create_network'),
                     undo('create_network')),
                Step('create_servers', do('create_servers'),
                     undo('create_servers')),
                Step('wait_ready', wait)]

    def instantiated_info(self, work):
        inst_id = work.lcmocc.vnfInstanceId
        held = self.resources.get(inst_id, {})
        return objects.InstantiatedVnfInfo(
            flavourId=work.req.flavourId, vnfState='STARTED',
            extCpInfo=[objects.VnfExtCpInfo(
                id='extcp-' + inst_id, cpdId='VDU1_CP1',
                cpConfigId='VDU1_CP1-config',
                cpProtocolInfo=[{'layerProtocol': 'IP_OVER_ETHERNET'}],
                associatedVnfcCpId='vnfc-cp-' + inst_id)],
            vnfcResourceInfo=[objects.VnfcResourceInfo(
                id='vnfc-' + inst_id, vduId='VDU1',
                vnfdId=work.inst.vnfdId,
                computeResource=objects.ResourceHandle(
                    resourceId=held['create_servers'],
                    vimLevelResourceType='TEST::Server'),
                vnfcCpInfo=[objects.VnfcCpInfo(
                    id='vnfc-cp-' + inst_id, cpdId='VDU1_CP1',
                    vnfExtCpId='extcp-' + inst_id)])],
            vnfVirtualLinkResourceInfo=[objects.VnfVirtualLinkResourceInfo(
                id='vl-' + inst_id, vnfVirtualLinkDescId='VL1',
                networkResource=objects.ResourceHandle(
                    resourceId=held['create_network']))])

    def terminate_steps(self, work):
        inst_id = work.lcmocc.vnfInstanceId
        kinds = {'delete_servers': 'create_servers',
                 'delete_network': 'create_network'}

        def do(name):
            return lambda w: self._run(name,
                                       self._remove(inst_id, kinds[name]))

        def undo(name):
            return lambda w: self._run('undo_' + name,
                                       self._add(inst_id, kinds[name]))

        return [Step(name, do(name), undo(name))
                for name in self.TERMINATE_STEPS]

    # -- change_vnfpkg -----------------------------------------------------

    change_vnfpkg_upgrade_types = (change_vnfpkg.BLUE_GREEN,
                                   change_vnfpkg.ROLLING_UPDATE)

    def _set(self, inst_id, kind, value):
        def action(resources):
            if value is None:
                resources.setdefault(inst_id, {}).pop(kind, None)
            else:
                resources.setdefault(inst_id, {})[kind] = value
        return action

    def _coordinate(self, work, side):
        inst_id = work.lcmocc.vnfInstanceId

        def do(w):
            with self.store.open() as data:
                fail = data.get('script_fail', {}).pop(side, None)
            self._run('coordinate_' + side, lambda resources: None)
            result = change_vnfpkg.run_script(
                w, side, {'fail': fail} if fail else {})
            self._run('record_' + side, lambda resources: resources.setdefault(
                inst_id, {}).setdefault('coordinated', []).append(result))
            if side == 'new':
                self._run('switch', self._set(inst_id, 'serving', 'new'))

        def undo(w):
            if side == 'new':
                self._run('undo_switch', self._set(inst_id, 'serving', 'old'))
        return Step('coordinate_' + side, do, undo)

    def change_vnfpkg_steps(self, work):
        inst_id = work.lcmocc.vnfInstanceId
        new_id = 'servers-%s' % work.req.vnfdId
        if work.state['upgradeType'] == change_vnfpkg.BLUE_GREEN:
            def delete_old(w):
                old = self.resources.get(inst_id, {}).get('create_servers')
                if old and old != new_id:
                    w.state['oldServers'] = old
                self._run('delete_old_servers',
                          self._set(inst_id, 'create_servers', new_id))

            def undo_delete_old(w):
                self._run('undo_delete_old_servers', self._set(
                    inst_id, 'create_servers', w.state['oldServers']))

            def create_new(w):
                # Recorded before the VIM is asked, as real drivers do:
                # what a given-up change may have left (``fail``).
                w.state['newServers'] = new_id
                w.save_progress()
                self._run('create_new_servers',
                          self._set(inst_id, 'new_servers', new_id))

            return [
                Step('create_new_servers', create_new,
                     lambda w: self._run('undo_create_new_servers',
                                         self._set(inst_id, 'new_servers',
                                                   None))),
                self._coordinate(work, 'new'),
                self._coordinate(work, 'old'),
                Step('delete_old_servers', delete_old, undo_delete_old),
            ]

        def update(w):
            held = self.resources.get(inst_id, {})
            w.state.setdefault('oldImage', held.get('image', 'v1'))
            self._run('update_servers', self._set(inst_id, 'image',
                                                  w.req.vnfdId))

        def undo_update(w):
            self._run('undo_update_servers', self._set(
                inst_id, 'image', w.state['oldImage']))
            with self.store.open() as data:
                replace = data.get('replace_on_undo')
            if replace:
                self._run('replace_servers', self._set(
                    inst_id, 'create_servers', 'servers-rebuilt-%s' %
                    w.lcmocc.id[:8]))

        return [Step('update_servers', update, undo_update),
                self._coordinate(work, 'new')]

    def change_vnfpkg_rollback_info(self, work):
        """The record after a rollback, from what the VIM holds."""
        self._run('read_back', lambda resources: None)
        held = self.resources.get(work.lcmocc.vnfInstanceId, {})
        info = work.old_inst.instantiatedVnfInfo.copy()
        for vnfc in info.vnfcResourceInfo:
            vnfc.computeResource.resourceId = held['create_servers']
        return info

    def fail_failed_info(self):
        """Make the next change_vnfpkg_failed_info raise (once)."""
        with self.store.open() as data:
            data['failed_info_raises'] = True

    def change_vnfpkg_failed_info(self, state, info):
        """What a given-up Blue-Green change left, from its state alone.

        Never calls the VIM (``calls`` shows it): the new servers go into
        the record's metadata.
        """
        with self.store.open() as data:
            if data.pop('failed_info_raises', None):
                raise RuntimeError('the record of a given-up change broke')
        if not state.get('newServers'):
            return None
        info = info.copy()
        meta = dict(info.obj_get('metadata') or {})
        meta['leftServers'] = [state['newServers']]
        info.metadata = meta
        return info

    def change_vnfpkg_info(self, work):
        inst_id = work.lcmocc.vnfInstanceId
        held = self.resources.get(inst_id, {})
        info = work.old_inst.instantiatedVnfInfo.copy()
        for vnfc in info.vnfcResourceInfo:
            vnfc.vnfdId = work.req.vnfdId
            if work.state['upgradeType'] == change_vnfpkg.BLUE_GREEN:
                vnfc.computeResource.resourceId = held['create_servers']
        return info
