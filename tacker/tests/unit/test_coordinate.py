"""The CoordinateVNF runner: confinement, contract, failures, timeout."""
import json
import os
import textwrap

import fixtures

from tacker.sol_refactored.common import coordinate
from tacker.sol_refactored.common import coordinate_legacy
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.tests import base

GOOD = '''
import json
import os


class SwitchService:
    def coordinate(self, request):
        print('switching', request['side'])
        with open(os.path.join(os.getcwd(), 'seen.json'), 'w') as f:
            json.dump(request, f)
        return {'switched': True, 'cwd': os.getcwd()}
'''

FAILING = '''
class Boom:
    def coordinate(self, request):
        raise RuntimeError('LB rejected password %s' % (
            request['vimConnectionInfo']['vim1']['accessInfo']['password']))
'''

SLOW = '''
import time


class Slow:
    def coordinate(self, request):
        while True:
            time.sleep(0.05)
'''

EXITS = '''
import sys


class Exits:
    def coordinate(self, request):
        sys.stderr.write('cannot reach the VNFC\\n')
        sys.exit(3)
'''

UNDOES = '''
class Undoes:
    def coordinate(self, request):
        return {'did': request['action']}

    def rollback(self, request):
        print('putting back', request['side'])
        return {'undid': request['action']}
'''


class PackageCase(base.TestCase):
    """A package directory with Scripts/, and a request with a secret."""

    def setUp(self):
        super().setUp()
        self.pkg = self.useFixture(fixtures.TempDir()).path
        os.mkdir(os.path.join(self.pkg, 'Scripts'))

    def script(self, name, text):
        path = os.path.join(self.pkg, 'Scripts', name)
        with open(path, 'w') as f:
            f.write(textwrap.dedent(text))
        return 'Scripts/' + name

    def request(self):
        return {'side': 'new', 'lcmOpOccId': 'occ-1',
                'vimConnectionInfo': {'vim1': {'accessInfo': {
                    'username': 'u', 'password': 'top-s3cret'}}}}


class TestCoordinate(PackageCase):
    def test_success_gets_request_on_stdin_and_package_as_cwd(self):
        rel = self.script('good.py', GOOD)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        coordinate.check_class(path, 'SwitchService', rel, 'p')
        result = coordinate.run(self.pkg, path, 'SwitchService',
                                self.request())
        self.assertTrue(result['switched'])
        self.assertEqual(os.path.realpath(self.pkg),
                         os.path.realpath(result['cwd']))
        self.assertTrue(os.path.exists(os.path.join(self.pkg, 'seen.json')))

    def test_exception_is_failure_with_masked_message(self):
        rel = self.script('boom.py', FAILING)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(coordinate.CoordinateFailed, coordinate.run,
                                  self.pkg, path, 'Boom', self.request())
        self.assertIn('LB rejected password ***', error.detail)
        self.assertNotIn('top-s3cret', error.detail)
        self.assertIn('Scripts/boom.py', error.detail)

    def test_non_zero_exit_is_failure_with_stderr(self):
        rel = self.script('exits.py', EXITS)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(coordinate.CoordinateFailed, coordinate.run,
                                  self.pkg, path, 'Exits', self.request())
        self.assertIn('cannot reach the VNFC', error.detail)

    def test_timeout_kills_the_script(self):
        rel = self.script('slow.py', SLOW)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(coordinate.CoordinateFailed, coordinate.run,
                                  self.pkg, path, 'Slow', self.request(),
                                  timeout=0.5)
        self.assertIn('did not finish', error.detail)

    def test_rollback_method_when_the_class_has_one(self):
        rel = self.script('undoes.py', UNDOES)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        request = dict(self.request(), action='rollback')
        self.assertEqual({'undid': 'rollback'}, coordinate.run(
            self.pkg, path, 'Undoes', request, method='rollback'))
        request['action'] = 'coordinate'
        self.assertEqual({'did': 'coordinate'}, coordinate.run(
            self.pkg, path, 'Undoes', request))

    def test_no_rollback_method_is_nothing_to_undo(self):
        rel = self.script('good.py', GOOD)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        self.assertIsNone(coordinate.run(self.pkg, path, 'SwitchService',
                                         self.request(), method='rollback'))
        # coordinate() was not called instead.
        self.assertFalse(os.path.exists(os.path.join(self.pkg,
                                                     'seen.json')))
        # Without coordinate() it is still a failure.
        rel = self.script('undoes_only.py', '''
class UndoOnly:
    def rollback(self, request):
        return {}
''')
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(coordinate.CoordinateFailed, coordinate.run,
                                  self.pkg, path, 'UndoOnly', self.request())
        self.assertIn('coordinate', error.detail)

    def test_paths_outside_the_package_are_refused(self):
        outside = self.useFixture(fixtures.TempDir()).path
        with open(os.path.join(outside, 'evil.py'), 'w') as f:
            f.write('class Evil: pass\n')
        os.symlink(os.path.join(outside, 'evil.py'),
                   os.path.join(self.pkg, 'Scripts', 'link.py'))
        for rel in ('../../../etc/passwd', '/etc/passwd',
                    'Scripts/../../' + os.path.basename(outside),
                    'Scripts/link.py'):
            error = self.assertRaises(sol_ex.BadRequest,
                                      coordinate.resolve_script, self.pkg,
                                      rel, 'lcm-operation-coordinate-new-vnf')
            self.assertEqual(400, error.status)
            self.assertIn('lcm-operation-coordinate-new-vnf', error.detail)

    def test_missing_file_and_missing_class_are_refused(self):
        error = self.assertRaises(sol_ex.BadRequest,
                                  coordinate.resolve_script, self.pkg,
                                  'Scripts/none.py', 'p')
        self.assertIn('no file', error.detail)
        rel = self.script('good.py', GOOD)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(sol_ex.BadRequest, coordinate.check_class,
                                  path, 'NoSuchClass', rel, 'p-class')
        self.assertIn('NoSuchClass', error.detail)
        rel = self.script('broken.py', 'class (:\n')
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        self.assertRaises(sol_ex.BadRequest, coordinate.check_class,
                          path, 'X', rel, 'p-class')


CONSTRUCTOR_RAISES = '''
class Broken:
    def __init__(self):
        raise ValueError('no credentials file in the package')

    def coordinate(self, request):
        return {}

    def rollback(self, request):
        return {}
'''

# A script in upstream Tacker's convention: a program reading a pickled
# dict on stdin, one VNFC per run, exit status 0 for success.
PROGRAM = '''
import json
import os
import pickle
import sys

doc = pickle.load(sys.stdin.buffer)
with open(os.path.join(os.getcwd(), 'runs.jsonl'), 'a') as f:
    f.write(json.dumps(doc) + '\\n')
print('coordinated', doc.get('ssh_ip'))
if doc.get('fail'):
    sys.stderr.write('login to %s refused for password %s\\n' % (
        doc['ssh_ip'], doc['password']))
    sys.exit(1)
'''


def _vnfc(name, vdu, server, cps):
    return {'vduId': vdu, 'serverId': server, 'name': name,
            'cpAddresses': cps,
            'addresses': [a for ips in cps.values() for a in ips]}


class TestConstructorFailure(PackageCase):
    def test_constructor_error_is_named_in_both_directions(self):
        rel = self.script('broken.py', CONSTRUCTOR_RAISES)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        for method in ('coordinate', 'rollback'):
            error = self.assertRaises(
                coordinate.CoordinateFailed, coordinate.run, self.pkg, path,
                'Broken', self.request(), method=method)
            self.assertIn('Scripts/broken.py (class Broken) failed: the '
                          'constructor Broken() raised ValueError: no '
                          'credentials file in the package', error.detail)
            self.assertNotIn('Traceback', error.detail)


class TestLegacyInputs(base.TestCase):
    def request(self, side='new', resources=None, vdu_params=None):
        inst = {'id': 'inst-1', 'instantiatedVnfInfo': {
            'vnfcResourceInfo': [{'id': 'VDU1-0', 'computeResource': {
                'resourceId': 'srv-1'}}],
            'vnfcInfo': [{'id': 'VDU1-0-info',
                          'vnfcResourceInfoId': 'VDU1-0'}]}}
        return {'side': side, 'lcmOpOccId': 'occ-1',
                'operation': 'CHANGE_VNFPKG', 'vnfInstance': inst,
                'vduParams': vdu_params if vdu_params is not None else [
                    {'vdu_id': 'VDU1',
                     'new_vnfc_param': {'cp_name': 'VDU1_CP2',
                                        'username': 'ubuntu',
                                        'password': 'pw-new',
                                        'extra': 'kept'},
                     'old_vnfc_param': {'cp_name': 'VDU1_CP1',
                                        'username': 'ubuntu',
                                        'password': 'pw-old'}}],
                'resources': resources or {}}

    def test_rolling_update_one_vnfc(self):
        vnfc = _vnfc('vnf-VDU1-a', 'VDU1', 'srv-1', {
            'VDU1_CP1': ['198.51.100.5'],
            'VDU1_CP2': ['2001:db8::5', '198.51.100.21']})
        runs = coordinate_legacy.inputs(
            self.request(resources={'stackId': 's', 'vnfc': vnfc}),
            rollback=False, base_url='https://tacker.example:9890')
        self.assertEqual(1, len(runs))
        what, doc = runs[0]
        self.assertIn('vnf-VDU1-a', what)
        self.assertEqual({'cp_name', 'username', 'password', 'extra',
                          'ssh_ip', 'is_rollback', 'LcmCoordRequest',
                          'inst', 'vnfc_info_id'}, set(doc))
        # The IPv4 address of the CP named by cp_name.
        self.assertEqual('198.51.100.21', doc['ssh_ip'])
        self.assertIs(False, doc['is_rollback'])
        self.assertEqual('pw-new', doc['password'])
        self.assertEqual('VDU1-0-info', doc['vnfc_info_id'])
        self.assertEqual('inst-1', doc['inst']['id'])
        coord = doc['LcmCoordRequest']
        self.assertEqual(('inst-1', 'occ-1', 'CHANGE_VNFPKG'), (
            coord['vnfInstanceId'], coord['vnfLcmOpOccId'],
            coord['lcmOperationType']))
        self.assertEqual(
            'https://tacker.example:9890/vnflcm/v2/vnf_lcm_op_occs/occ-1',
            coord['_links']['vnfLcmOpOcc']['href'])

    def test_blue_green_side_vnfcs_and_rollback_flag(self):
        resources = {
            'newVnfcs': [_vnfc('n1', 'VDU1', 'srv-9',
                               {'VDU1_CP2': ['198.51.100.31']}),
                         _vnfc('n2', 'VDU2', 'srv-8',
                               {'VDU2_CP1': ['198.51.100.32']})],
            'oldVnfcs': [_vnfc('o1', 'VDU1', 'srv-1',
                               {'VDU1_CP1': ['198.51.100.5']})]}
        runs = coordinate_legacy.inputs(
            self.request('new', resources), rollback=True)
        # VDU2 has no vdu_params entry: not the program's business.
        self.assertEqual(['198.51.100.31'], [d['ssh_ip'] for _w, d in runs])
        self.assertIs(True, runs[0][1]['is_rollback'])
        # A new VNFC has no vnfcInfo in the record yet; no base URL, no
        # links.
        self.assertNotIn('vnfc_info_id', runs[0][1])
        self.assertNotIn('_links', runs[0][1]['LcmCoordRequest'])
        runs = coordinate_legacy.inputs(
            self.request('old', resources), rollback=False)
        self.assertEqual([('198.51.100.5', 'pw-old')],
                         [(d['ssh_ip'], d['password']) for _w, d in runs])

    def test_no_vnfc_in_the_call_is_one_run_without_vnfc_keys(self):
        runs = coordinate_legacy.inputs(
            self.request(resources={'namespace': 'ns', 'newPods': ['p']}),
            rollback=False)
        self.assertEqual(1, len(runs))
        self.assertEqual({'is_rollback', 'LcmCoordRequest', 'inst'},
                         set(runs[0][1]))

    def test_cp_without_address_is_a_clear_failure(self):
        vnfc = _vnfc('vnf-VDU1-a', 'VDU1', 'srv-1',
                     {'VDU1_CP1': ['198.51.100.5']})
        error = self.assertRaises(
            coordinate_legacy.NoVnfcAddress, coordinate_legacy.inputs,
            self.request(resources={'vnfc': vnfc}), False)
        self.assertIn('VDU1_CP2', error.detail)
        self.assertIn('VDU1_CP1', error.detail)


class TestProgramMode(PackageCase):
    def legacy_request(self, fail=False):
        param = {'cp_name': 'CP1', 'username': 'u', 'password': 'pw-s3cret'}
        if fail:
            param['fail'] = True
        return {'side': 'new', 'lcmOpOccId': 'occ-1',
                'operation': 'CHANGE_VNFPKG', 'vnfInstance': {'id': 'i'},
                'vduParams': [{'vdu_id': 'VDU1', 'new_vnfc_param': param}],
                'resources': {'newVnfcs': [
                    _vnfc('a', 'VDU1', 's1', {'CP1': ['198.51.100.1']}),
                    _vnfc('b', 'VDU1', 's2', {'CP1': ['198.51.100.2']})]}}

    def runs(self):
        with open(os.path.join(self.pkg, 'runs.jsonl')) as f:
            return [json.loads(line) for line in f]

    def test_once_per_vnfc_with_pickled_stdin_in_the_package(self):
        rel = self.script('legacy.py', PROGRAM)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        coordinate.check_program(path, rel)
        self.assertEqual({}, coordinate.run(self.pkg, path, None,
                                            self.legacy_request()))
        runs = self.runs()
        self.assertEqual(['198.51.100.1', '198.51.100.2'],
                         [r['ssh_ip'] for r in runs])
        self.assertEqual([False, False], [r['is_rollback'] for r in runs])
        # The rollback is the same program with the flag.
        coordinate.run(self.pkg, path, None, self.legacy_request(),
                       method='rollback')
        self.assertEqual([True, True],
                         [r['is_rollback'] for r in self.runs()[2:]])

    def test_non_zero_exit_is_failure_with_masked_stderr(self):
        rel = self.script('legacy.py', PROGRAM)
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(
            coordinate.CoordinateFailed, coordinate.run_program, self.pkg,
            path, self.legacy_request(fail=True))
        self.assertIn('Scripts/legacy.py (run as a program, for VNFC a '
                      '(VDU1)) failed with exit status 1', error.detail)
        self.assertIn('login to 198.51.100.1 refused for password ***',
                      error.detail)
        self.assertNotIn('pw-s3cret', error.detail)
        # The first failing VNFC stops the call.
        self.assertEqual(1, len(self.runs()))

    def test_timeout_kills_the_program_and_its_children(self):
        rel = self.script('hangs.py', '''
import subprocess
import sys
import time

subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
time.sleep(60)
''')
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        error = self.assertRaises(
            coordinate.CoordinateFailed, coordinate.run_program, self.pkg,
            path, self.legacy_request(), timeout=1)
        self.assertIn('did not finish within 1 seconds', error.detail)

    def test_invalid_python_is_refused_at_the_api(self):
        rel = self.script('broken.py', 'def (:\n')
        path = coordinate.resolve_script(self.pkg, rel, 'p')
        self.assertRaises(sol_ex.BadRequest, coordinate.check_program,
                          path, rel)
