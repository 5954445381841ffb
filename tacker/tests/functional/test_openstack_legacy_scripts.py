"""CoordinateVNF scripts of other Tacker releases, and giving a change up.

On the test cloud, through tacker-server. The v2 sample gets two scripts
of this test's own:

- ``Scripts/legacy_program.py`` is written the way upstream Tacker's v2
  packages write them: a program reading a pickled dict on stdin, one
  VNFC per run, exit status 1 to fail. It appends what it read to a file
  in a directory the request names (``record_dir`` in the vnfc_param),
  and refuses (exit 1) while a ``refuse`` file is there.
- ``Scripts/broken_class.py`` has a class whose constructor raises.

A Rolling update with the program records the keys it is given; refused,
the operation is FAILED_TEMP with the program's message, its rollback
runs the program again with ``is_rollback``, and a retry completes.
With the broken class, the rollback stops FAILED_TEMP naming the
constructor's error; ``fail`` is accepted, and the record then tells what
the VIM runs (checked against Heat, Nova, Neutron and Cinder), and
terminate leaves nothing on the VIM, for a Rolling update and for a
Blue-Green change (whose new stack the record then names too).
"""
import json
import os

import fixtures

from tacker.tests.functional import openstack_base as ob
from tacker.tests.functional import test_openstack_change_vnfpkg as base

PROGRAM = '''"""A coordinate script as upstream v2 packages have them."""
import json
import os
import pickle
import sys


def main():
    param = pickle.load(sys.stdin.buffer)
    with open(os.path.join(param['record_dir'], 'runs.jsonl'), 'a') as f:
        f.write(json.dumps(param, sort_keys=True) + '\\n')
    refused = os.path.exists(os.path.join(param['record_dir'], 'refuse'))
    if refused and not param['is_rollback']:
        sys.stderr.write('VNFC %s is not ready for %s (password %s)\\n' % (
            param['ssh_ip'], param['username'], param['password']))
        return 1
    print('VNFC %s coordinated' % param['ssh_ip'])
    return 0


if __name__ == '__main__':
    sys.exit(main())
'''

BROKEN_CLASS = '''
class Broken:
    def __init__(self):
        raise ValueError('lb.conf is missing from the package')

    def coordinate(self, request):
        return {}

    def rollback(self, request):
        return {}
'''
PASSWORD = 'vnfc-s3cret-7'
CP = 'VDU1_CP1'


def add_scripts(copy_dir):
    for name, text in (('legacy_program.py', PROGRAM),
                       ('broken_class.py', BROKEN_CLASS)):
        with open(os.path.join(copy_dir, 'Scripts', name), 'w') as f:
            f.write(text)


class LegacyScriptsTestCase(base.ChangeVnfPkgTestCase):
    def setUp(self):
        # As the base's setUp, with the v2 package carrying our scripts
        # (a vnfdId is on-boarded once).
        ob.OpenStackTestCase.setUp(self)
        self.v1 = self.onboard_sample('v1')
        self.v2 = self.onboard_sample('v2', edit=add_scripts)
        self.images = self.image_ids()
        self.inst = self.instantiated(self.v1, base.VDU1_COUNT)
        self.old_stack = self.inst['instantiatedVnfInfo']['metadata'][
            'stack_id']
        self.record_dir = self.useFixture(fixtures.TempDir()).path

    def vdu_params(self, vdu2):
        param = {'cp_name': CP, 'username': 'vnfuser', 'password': PASSWORD,
                 'record_dir': self.record_dir}
        params = [{'vdu_id': 'VDU1', 'new_vnfc_param': dict(param),
                   'old_vnfc_param': dict(param)}]
        # Without a vnfc_param, VDU2 is changed but not coordinated.
        return params + [{'vdu_id': 'VDU2'}] if vdu2 else params

    def change_with(self, upgrade_type, scripts, vdu2=False):
        params = {'upgrade_type': upgrade_type,
                  'vdu_params': self.vdu_params(vdu2)}
        if upgrade_type == 'BlueGreen':
            params['external_lb_param'] = base.LB
        params.update(scripts)
        return self.start_op(self.inst['id'], 'change_vnfpkg',
                             {'vnfdId': self.v2['vnfdId'],
                              'additionalParams': params})

    def runs(self):
        path = os.path.join(self.record_dir, 'runs.jsonl')
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]

    def addresses_of(self, server_id):
        return [ip['ip_address'] for port in self.ports_of(server_id)
                for ip in port['fixed_ips']]

    def assertRecordIsTheVim(self):
        """The record after fail: the VIM's ids, each VNFC's package."""
        inst = self.show(self.inst['id'])
        state = self.vim_state(inst)
        by_image = {'image-v1': self.v1['vnfdId'],
                    'image-v2': self.v2['vnfdId']}
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual(by_image[state[vnfc['id']][3]], vnfc['vnfdId'],
                             vnfc['id'])
        return inst, state

    def assertNothingLeft(self, servers):
        self.terminate(self.inst['id'])
        self.assertEqual([], self.live_stacks('vnf-%s' % self.inst['id']))
        left = set(servers) & set(self.project_servers())
        self.assertEqual(set(), left)


class TestLegacyProgram(LegacyScriptsTestCase):
    SCRIPT = {'lcm-operation-coordinate-new-vnf':
              'Scripts/legacy_program.py'}

    def test_keys_failure_rollback_and_retry(self):
        old_state = self.vim_state(self.inst)
        open(os.path.join(self.record_dir, 'refuse'), 'w').close()
        occ_id = self.change_with('RollingUpdate', self.SCRIPT, vdu2=True)
        occ = self.wait_op(occ_id, 'FAILED_TEMP', base.CHANGE_TIMEOUT)
        detail = occ['error']['detail']
        self.assertIn('Scripts/legacy_program.py (run as a program', detail)
        self.assertIn('exit status 1', detail)
        self.assertIn('is not ready for vnfuser (password ***)', detail)
        self.assertNotIn(PASSWORD, str(occ))
        [run] = self.runs()
        self.assertEqual(
            {'cp_name', 'username', 'password', 'record_dir', 'ssh_ip',
             'is_rollback', 'LcmCoordRequest', 'inst', 'vnfc_info_id'},
            set(run))
        self.assertIs(False, run['is_rollback'])
        self.assertEqual(PASSWORD, run['password'])
        coord = run['LcmCoordRequest']
        self.assertEqual((self.inst['id'], occ_id, 'CHANGE_VNFPKG'), (
            coord['vnfInstanceId'], coord['vnfLcmOpOccId'],
            coord['lcmOperationType']))
        self.assertEqual(self.inst['id'], run['inst']['id'])
        # ssh_ip is the fixed IP of cp_name of the VNFC just updated.
        vnfcs = {v['id']: v for v in self.inst['instantiatedVnfInfo'][
            'vnfcResourceInfo']}
        updated = [k for k, image in self.images_by_vnfc().items()
                   if image == 'image-v2']
        self.assertEqual(1, len(updated))
        server = vnfcs[updated[0]]['computeResource']['resourceId']
        self.assertIn(run['ssh_ip'], self.addresses_of(server))
        self.assertEqual(updated[0] + '-info', run['vnfc_info_id'])

        # The rollback runs the program again for that VNFC, flagged.
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', base.CHANGE_TIMEOUT)
        rollback_runs = [r for r in self.runs() if r['is_rollback']]
        self.assertEqual([run['ssh_ip']],
                         [r['ssh_ip'] for r in rollback_runs])
        self.assertUnchanged(old_state)

        # Refused again, then retried once the cause is gone.
        occ_id = self.change_with('RollingUpdate', self.SCRIPT, vdu2=True)
        self.wait_op(occ_id, 'FAILED_TEMP', base.CHANGE_TIMEOUT)
        os.unlink(os.path.join(self.record_dir, 'refuse'))
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', base.CHANGE_TIMEOUT)
        self.assertChanged(occ, old_state)
        # Every VDU1 VNFC was coordinated once the refusal was gone.
        forward = [r for r in self.runs() if not r['is_rollback']]
        self.assertEqual(base.VDU1_COUNT, len({r['ssh_ip'] for r in
                                               forward[-2:]}))
        vdu1_ips = {ip for v in self.show(self.inst['id'])[
            'instantiatedVnfInfo']['vnfcResourceInfo'] if v['vduId'] ==
            'VDU1' for ip in self.addresses_of(
                v['computeResource']['resourceId'])}
        self.assertTrue({r['ssh_ip'] for r in forward[-2:]} <= vdu1_ips)


class TestConstructorRaises(LegacyScriptsTestCase):
    SCRIPT = {'lcm-operation-coordinate-new-vnf': 'Scripts/broken_class.py',
              'lcm-operation-coordinate-new-vnf-class': 'Broken'}
    ERROR = ('CoordinateVNF script Scripts/broken_class.py (class Broken) '
             'failed: the constructor Broken() raised ValueError: lb.conf '
             'is missing from the package')

    def give_up(self, upgrade_type):
        occ_id = self.change_with(upgrade_type, self.SCRIPT)
        occ = self.wait_op(occ_id, 'FAILED_TEMP', base.CHANGE_TIMEOUT)
        self.assertIn(self.ERROR, occ['error']['detail'])
        self.op_action(occ_id, 'rollback')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', base.CHANGE_TIMEOUT)
        detail = occ['error']['detail']
        self.assertTrue(detail.startswith('rollback of step '), detail)
        self.assertIn(self.ERROR, detail)
        self.assertNotIn('Traceback', detail)
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/fail' % occ_id)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual('FAILED', resp.body['operationState'])
        return occ_id

    def test_rolling_update(self):
        old_servers = self.project_servers()
        self.give_up('RollingUpdate')
        inst, state = self.assertRecordIsTheVim()
        # The first VNFC was updated before its script failed; the other
        # VNFCs were not touched.
        images = sorted(s[3] for s in state.values())
        self.assertEqual(['image-v1', 'image-v1', 'image-v2'], images)
        meta = inst['instantiatedVnfInfo']['metadata']
        self.assertNotIn('notReReadAfterFail', meta)
        self.assertNothingLeft(old_servers + [s[0] for s in state.values()])

    def test_blue_green(self):
        self.give_up('BlueGreen')
        [new_stack] = self.new_stacks()
        inst, state = self.assertRecordIsTheVim()
        meta = inst['instantiatedVnfInfo']['metadata']
        # The old stack still serves; the new one is named for terminate.
        self.assertEqual(self.old_stack, meta['stack_id'])
        self.assertEqual([new_stack['id']], meta['otherStackIds'])
        self.assertEqual({'image-v1'}, {s[3] for s in state.values()})
        new_servers = self.stack_servers(new_stack['id'])
        self.assertTrue(new_servers)
        self.assertNothingLeft(new_servers + [s[0] for s in state.values()])
