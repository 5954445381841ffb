"""The demo's helpers: VNFC diff, summary text, step lines, progress."""
import io

import testtools

from tacker.demo import console
from tacker.demo import flows
from tacker.demo import progress
from tacker.demo import steps
from tacker.demo import summary


def vnfc(vnfc_id, vdu, resource):
    return {'id': vnfc_id, 'vdu': vdu, 'resource': resource}


def shown(*vnfcs):
    """A ``vnflcm show -f json`` answer holding these VNFCs."""
    return {'VNFD ID': 'x', 'Instantiated Vnf Info': {
        'vnfcResourceInfo': [
            {'id': v['id'], 'vduId': v['vdu'], 'computeResource': {
                'resourceId': v['resource'],
                'vimLevelResourceType': 'OS::Nova::Server'}}
            for v in vnfcs]}}


class TestVnfcsOf(testtools.TestCase):
    def test_sorted_by_vdu_then_id(self):
        got = summary.vnfcs_of(shown(vnfc('b', 'VDU2', 's2'),
                                     vnfc('c', 'VDU1', 's3'),
                                     vnfc('a', 'VDU1', 's1')))
        self.assertEqual([vnfc('a', 'VDU1', 's1'), vnfc('c', 'VDU1', 's3'),
                          vnfc('b', 'VDU2', 's2')], got)

    def test_not_instantiated(self):
        # The CLI prints an empty string for a missing complex column.
        self.assertEqual([], summary.vnfcs_of(
            {'Instantiated Vnf Info': ''}))
        self.assertEqual([], summary.vnfcs_of({}))


class TestDiffVnfcs(testtools.TestCase):
    def test_blue_green_everything_new(self):
        before = [vnfc('a', 'VDU1', 'pod-a'), vnfc('b', 'VDU1', 'pod-b')]
        after = [vnfc('c', 'VDU1', 'pod-c'), vnfc('d', 'VDU1', 'pod-d')]
        diff = summary.diff_vnfcs(before, after)
        self.assertEqual({'VDU1': {'kept': [], 'replaced': [],
                                   'removed': ['pod-a', 'pod-b'],
                                   'added': ['pod-c', 'pod-d']}}, diff)
        self.assertEqual(2, summary.changed_resources(diff))

    def test_rolling_replaces_in_place_and_keeps_the_rest(self):
        # VDU1 rebuilt image to image (same server), VDU2 replaced (a
        # volume-booted server gets a new one), same VNFC ids.
        before = [vnfc('v1', 'VDU1', 'srv-1'), vnfc('v2', 'VDU2', 'srv-2')]
        after = [vnfc('v1', 'VDU1', 'srv-1'), vnfc('v2', 'VDU2', 'srv-9')]
        diff = summary.diff_vnfcs(before, after)
        self.assertEqual({'kept': ['srv-1'], 'replaced': [], 'removed': [],
                          'added': []}, diff['VDU1'])
        self.assertEqual({'kept': [], 'replaced': [('srv-2', 'srv-9')],
                          'removed': [], 'added': []}, diff['VDU2'])
        self.assertEqual(1, summary.changed_resources(diff))

    def test_resource_kept_under_a_new_vnfc_id_is_unchanged(self):
        diff = summary.diff_vnfcs([vnfc('old', 'VDU1', 'srv-1')],
                                  [vnfc('new', 'VDU1', 'srv-1')])
        self.assertEqual(['srv-1'], diff['VDU1']['kept'])
        self.assertEqual(0, summary.changed_resources(diff))

    def test_vdu_gone_or_new(self):
        diff = summary.diff_vnfcs([vnfc('a', 'VDU1', 'x')],
                                  [vnfc('b', 'VDU2', 'y')])
        self.assertEqual(['x'], diff['VDU1']['removed'])
        self.assertEqual(['y'], diff['VDU2']['added'])


class TestFormat(testtools.TestCase):
    def completed_run(self):
        run = summary.Run('kubernetes', 'the simulator', 'Blue-Green',
                          state='COMPLETED', duration=12.34, op_id='op-1',
                          old_vnfd='vnfd-1', old_version='1.0',
                          new_vnfd='vnfd-2', new_version='2.0')
        run.before = [vnfc('a', 'VDU1', 'nginx-a'),
                      vnfc('b', 'VDU1', 'nginx-b')]
        run.after = [vnfc('c', 'VDU1', 'nginx-v2-c'),
                     vnfc('d', 'VDU1', 'nginx-v2-d')]
        run.notes.append('CoordinateVNF: Scripts/coordinate_new_vnf.py')
        return run

    def test_completed_run(self):
        lines = summary.format_run(self.completed_run())
        self.assertEqual([
            'Blue-Green on kubernetes: COMPLETED in 12.3 s',
            '  VIM       the simulator',
            '  op occ    op-1',
            '  vnfdId    vnfd-1 (1.0) -> vnfd-2 (2.0)',
            '  VDU1      removed   nginx-a, nginx-b',
            '            added     nginx-v2-c, nginx-v2-d',
            '  2 of 2 VNFC resources replaced',
            '  CoordinateVNF: Scripts/coordinate_new_vnf.py'], lines)

    def test_failed_run_keeps_vnfd_and_shows_error_on_one_line(self):
        run = summary.Run('openstack', 'the test cloud', 'Rolling update',
                          state='FAILED_TEMP', duration=3, op_id='op-2',
                          old_vnfd='vnfd-1', old_version='1.0',
                          error='step update_VDU1 failed:\n  Heat said no')
        lines = summary.format_run(run)
        self.assertEqual('Rolling update on openstack: FAILED_TEMP in 3.0 s',
                         lines[0])
        self.assertIn('  vnfdId    vnfd-1 (1.0) -> unchanged', lines)
        self.assertIn('  error     step update_VDU1 failed: Heat said no',
                      lines)
        self.assertFalse([line for line in lines if 'replaced' in line])

    def test_summary_counts_completed(self):
        failed = summary.Run('openstack', '-', 'Rolling update')
        text = summary.format_summary([self.completed_run(), failed])
        self.assertIn('Rolling update on openstack: NOT RUN', text)
        self.assertTrue(text.endswith(
            '1 of 2 changes of package COMPLETED'))

    def test_long_error_is_cut(self):
        self.assertEqual(400, len(summary.one_line('x' * 1000)))


class TestServerSeconds(testtools.TestCase):
    def test_from_op_show(self):
        op = {'Start Time': '2026-01-01T10:00:00Z',
              'State Entered Time': '2026-01-01T10:01:05Z'}
        self.assertEqual(65, flows.server_seconds(op))

    def test_missing(self):
        self.assertIsNone(flows.server_seconds({'Start Time': ''}))


class TestSteps(testtools.TestCase):
    LINE = ('2026-11-25 06:12:53.161 10767 INFO '
            'tacker.sol_refactored.conductor.frame [None req-d6 - - - - -] '
            'CHANGE_VNFPKG 0963f50d-5e7d-447c-a8ef-6ad56cc91315: '
            'step coordinate_new\n')

    def test_parse(self):
        self.assertEqual(('0963f50d-5e7d-447c-a8ef-6ad56cc91315', 'step',
                          'coordinate_new'), steps.parse(self.LINE))
        undo = self.LINE.replace('step coordinate_new', 'undo apply_new')
        self.assertEqual('undo', steps.parse(undo)[1])
        self.assertIsNone(steps.parse(
            'CHANGE_VNFPKG 0963f50d-5e7d-447c-a8ef-6ad56cc91315 COMPLETED'))

    def test_watcher_tells_followers(self):
        watcher = steps.StepWatcher()
        op_id = '0963f50d-5e7d-447c-a8ef-6ad56cc91315'
        watcher.feed(self.LINE)
        told = []
        before = watcher.follow(op_id, lambda *a: told.append(a))
        self.assertEqual(['coordinate_new'], [s[1] for s in before])
        watcher.feed(self.LINE.replace('coordinate_new', 'coordinate_old'))
        watcher.feed('unrelated line\n')
        self.assertEqual([('step', 'coordinate_old')], told)
        watcher.unfollow(op_id)
        watcher.feed(self.LINE.replace('coordinate_new', 'delete_old'))
        self.assertEqual(1, len(told))
        self.assertEqual(['coordinate_new', 'coordinate_old', 'delete_old'],
                         [s[1] for s in watcher.steps(op_id)])

    def test_subject_names_vnfc_or_vdu(self):
        vnfcs = [vnfc('v-1', 'VDU1', 'srv-1'), vnfc('v-2', 'VDU1', 'srv-2'),
                 vnfc('v-3', 'VDU10', 'srv-3')]
        self.assertEqual('VDU1: srv-1, srv-2',
                         steps.subject('update_VDU1', vnfcs))
        self.assertEqual('VDU10: srv-3',
                         steps.subject('coordinate_VDU10', vnfcs))
        self.assertEqual('VNFC v-2 (VDU1, srv-2)',
                         steps.subject('update_VDU1_v-2', vnfcs))
        self.assertIsNone(steps.subject('apply_new', vnfcs))


class FakeCli:
    """Answers ``vnflcm op show`` from a list, feeding the watcher."""

    def __init__(self, answers, watcher, lines):
        self.answers = list(answers)
        self.watcher = watcher
        self.lines = list(lines)
        self.calls = []

    def __call__(self, command, *args, **kwargs):
        self.calls.append((command,) + args)
        if self.lines:
            self.watcher.feed(self.lines.pop(0))
        return self.answers.pop(0)


class TestProgress(testtools.TestCase):
    def test_steps_and_states_are_told(self):
        op_id = '0963f50d-5e7d-447c-a8ef-6ad56cc91315'
        watcher = steps.StepWatcher()
        line = TestSteps.LINE
        cli = FakeCli(
            [{'Operation': 'CHANGE_VNFPKG', 'Operation State': 'PROCESSING'},
             {'Operation': 'CHANGE_VNFPKG', 'Operation State': 'PROCESSING'},
             {'Operation': 'CHANGE_VNFPKG', 'Operation State': 'COMPLETED'}],
            watcher, [line.replace('coordinate_new', 'update_VDU1'), line])
        out = io.StringIO()
        pauses = []
        op, secs = progress.wait(cli, console.Console(out), watcher, op_id,
                                 60, [vnfc('a', 'VDU1', 'srv-1')],
                                 sleep=pauses.append)
        self.assertEqual('COMPLETED', op['Operation State'])
        text = out.getvalue()
        self.assertIn('0963f50d running update_VDU1 on VDU1: srv-1', text)
        self.assertIn('0963f50d running coordinate_new', text)
        self.assertIn('CHANGE_VNFPKG 0963f50d: PROCESSING', text)
        self.assertIn('CHANGE_VNFPKG 0963f50d: COMPLETED', text)
        self.assertEqual(3, len(cli.calls))
        self.assertEqual(('vnflcm op show', op_id), cli.calls[0])
        # A short, growing pause between the polls.
        self.assertEqual(2, len(pauses))
        self.assertLess(pauses[0], pauses[1])

    def test_timeout(self):
        watcher = steps.StepWatcher()
        answers = [{'Operation': 'INSTANTIATE',
                    'Operation State': 'PROCESSING'}] * 3
        cli = FakeCli(answers, watcher, [])
        self.assertRaises(progress.OpTimeout, progress.wait, cli,
                          console.Console(io.StringIO()), watcher,
                          '0963f50d-5e7d-447c-a8ef-6ad56cc91315', -1,
                          sleep=lambda pause: None)
