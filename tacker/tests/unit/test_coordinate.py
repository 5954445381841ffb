"""The CoordinateVNF runner: confinement, contract, failures, timeout."""
import os
import textwrap

import fixtures

from tacker.sol_refactored.common import coordinate
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


class TestCoordinate(base.TestCase):
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
