"""The demo's work on one VIM, every request through the ``openstack`` CLI.

On-board the v1 and v2 sample packages of the VIM type; then for each
upgrade type: create and instantiate a VNF from v1, change it to v2, and
terminate and delete it again (the samples' Kubernetes objects have fixed
names, so two VNFs of them cannot share a namespace).
"""
import datetime
import json
import os
import subprocess
import sys
import time

from tacker.demo import bodies
from tacker.demo import progress
from tacker.demo import summary

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SAMPLES = os.path.join(REPO, 'samples', 'vnf_packages')
BUILD_TOOL = os.path.join(REPO, 'tools', 'build_vnf_package.py')
ONBOARD_TIMEOUT = 120


class FlowError(RuntimeError):
    pass


def server_seconds(op):
    """Seconds from the op's startTime to its stateEnteredTime, or None."""
    try:
        start, end = (datetime.datetime.fromisoformat(
            op[key].replace('Z', '+00:00'))
            for key in ('Start Time', 'State Entered Time'))
    except (KeyError, AttributeError, ValueError):
        return None
    return (end - start).total_seconds()


class VimFlows:
    def __init__(self, cli, console, watcher, run_dir, timeout,
                 problems):
        self.cli = cli
        self.console = console
        self.watcher = watcher
        self.run_dir = run_dir
        self.timeout = timeout
        self.seen_ops = set()
        # What went wrong outside the runs (cleaning up), for the summary.
        self.problems = problems
        # The last occurrence waited for, per instance: what clean_up
        # finds in FAILED_TEMP is rolled back first.
        self.last_op = {}

    # -- packages ----------------------------------------------------------

    def build(self, vim_type, version):
        src = os.path.join(SAMPLES, vim_type, version)
        out = os.path.join(self.run_dir, '%s-%s.zip' % (vim_type, version))
        if not os.path.isdir(src):
            raise FlowError('no sample package at %s' % src)
        done = subprocess.run([sys.executable, BUILD_TOOL, src, out],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise FlowError('building %s failed: %s' % (
                src, done.stderr.strip()))
        self.console.say('built %s from samples/vnf_packages/%s/%s',
                         os.path.basename(out), vim_type, version)
        return out

    def onboard(self, vim_type, version):
        zip_path = self.build(vim_type, version)
        pkg_id = self.cli('vnf package create')['ID']
        self.cli('vnf package upload', '--path', zip_path, pkg_id,
                 parse=False)
        began = time.monotonic()
        pause = 0.2
        while True:
            shown = self.cli('vnf package show', pkg_id)
            state = shown.get('Onboarding State')
            if state == 'ONBOARDED':
                break
            if state == 'ERROR' or time.monotonic() - began > \
                    ONBOARD_TIMEOUT:
                raise FlowError('package %s is %s: %s' % (
                    pkg_id, state, shown.get('Onboarding Failure Details')))
            time.sleep(pause)
            pause = min(pause * 1.5, 2)
        operational = shown.get('Operational State')
        if operational != 'ENABLED':
            # [vnf_package] enable_on_onboarding = false: enable by hand.
            operational = self.cli('vnf package update',
                                   '--operational-state', 'ENABLED',
                                   pkg_id).get('Operational State')
        self.console.say('  package %s: vnfdId %s, version %s, %s and %s',
                         pkg_id, shown['VNFD ID'],
                         shown['VNF Software Version'], state, operational)
        return shown

    # -- operations --------------------------------------------------------

    def request_file(self, name, body):
        path = os.path.join(self.run_dir, name)
        # The body may carry the VIM's credentials: ours only, and gone
        # as soon as the client has read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as f:
            json.dump(body, f, indent=2)
        return path

    def start(self, command, inst_id, name, body, operation):
        """Run an LCM command with a request file; the new op occ id."""
        path = self.request_file(name, body)
        try:
            self.cli(command, inst_id, path, v2=True, parse=False)
        finally:
            os.unlink(path)
        return self.new_op(inst_id, operation)

    def new_op(self, inst_id, operation):
        # The CLI does not print the Location of the new occurrence: it is
        # the one of this instance not seen before.
        ops = self.cli('vnflcm op list', '--filter',
                       '(eq,vnfInstanceId,%s)' % inst_id, v2=True)
        new = [o['ID'] for o in ops
               if o.get('VNF Instance ID') == inst_id and
               o.get('Operation') == operation and
               o['ID'] not in self.seen_ops]
        if len(new) != 1:
            raise FlowError('cannot tell the new %s occurrence of %s: %s'
                            % (operation, inst_id, ops))
        self.seen_ops.add(new[0])
        return new[0]

    def wait(self, op_id, vnfcs=()):
        op, secs = progress.wait(self.cli, self.console, self.watcher,
                                 op_id, self.timeout, vnfcs)
        self.last_op[op['VNF Instance ID']] = op
        return op, secs

    def show(self, inst_id):
        return self.cli('vnflcm show', inst_id, v2=True, quiet=True)

    # -- one VNF -----------------------------------------------------------

    def create(self, v1, name):
        return self.cli('vnflcm create', v1['VNFD ID'], '--name', name,
                        v2=True)['ID']

    def instantiate(self, vim, inst_id, name):
        op_id = self.start('vnflcm instantiate', inst_id,
                           'instantiate-%s.json' % name,
                           bodies.instantiate(vim), 'INSTANTIATE')
        op, _secs = self.wait(op_id)
        if op['Operation State'] != 'COMPLETED':
            raise FlowError('instantiate %s ended %s: %s' % (
                inst_id, op['Operation State'], _detail(op)))

    def change(self, vim, inst_id, upgrade, v2, run):
        before = self.show(inst_id)
        run.old_vnfd = before.get('VNFD ID')
        run.old_version = before.get('VNF Software Version')
        run.before = summary.vnfcs_of(before)
        self._say_vnfcs('before:', run.before)
        run.notes.append(bodies.scripts_note(vim, upgrade))
        began = time.monotonic()
        run.op_id = self.start(
            'vnflcm change-vnfpkg', inst_id,
            'change-%s-%s.json' % (vim.vim_type, upgrade),
            bodies.change(vim, upgrade, v2['VNFD ID']), 'CHANGE_VNFPKG')
        op, _secs = self.wait(run.op_id, run.before)
        run.duration = time.monotonic() - began
        run.state = op['Operation State']
        secs = server_seconds(op)
        if secs is not None:
            run.notes.append('server: startTime to stateEnteredTime %.0f s'
                             % secs)
        if run.state != 'COMPLETED':
            run.error = _detail(op)
            return op
        after = self.show(inst_id)
        run.new_vnfd = after.get('VNFD ID')
        run.new_version = after.get('VNF Software Version')
        run.after = summary.vnfcs_of(after)
        self._say_vnfcs('after: ', run.after)
        return op

    def _say_vnfcs(self, label, vnfcs):
        for vnfc in vnfcs:
            self.console.say('  %s %s VNFC %s on %s', label, vnfc['vdu'],
                             vnfc['id'], vnfc['resource'])

    def clean_up(self, inst_id):
        """Roll back what failed, terminate, delete: the VIM as found.

        An operation left in FAILED_TEMP is rolled back, or marked FAILED
        when its rollback fails too, so that the instance is free again.
        What cannot be done is a problem of the run.
        """
        try:
            last = self.last_op.get(inst_id)
            if last is not None and last['Operation State'] == 'FAILED_TEMP':
                self.cli('vnflcm op rollback', last['ID'], v2=True,
                         parse=False)
                op, _secs = self.wait(last['ID'])
                if op['Operation State'] == 'FAILED_TEMP':
                    self.cli('vnflcm op fail', last['ID'], v2=True)
            shown = self.show(inst_id)
            if shown.get('Instantiation State') == 'INSTANTIATED':
                self.cli('vnflcm terminate', '--termination-type',
                         'FORCEFUL', inst_id, v2=True, parse=False)
                op, _secs = self.wait(self.new_op(inst_id, 'TERMINATE'))
                if op['Operation State'] != 'COMPLETED':
                    raise FlowError('terminate ended %s: %s' % (
                        op['Operation State'], _detail(op)))
            self.cli('vnflcm delete', inst_id, v2=True, parse=False)
        except Exception as exc:
            self.problems.append('cleaning up VNF instance %s: %s' % (
                inst_id, exc))
            self.console.say('  could not clean up %s: %s', inst_id, exc)

    # -- one VIM -----------------------------------------------------------

    def run_vim(self, vim, runs):
        """Fill in ``runs`` (one per upgrade type, in order)."""
        self.console.say('on-boarding the %s sample packages v1 and v2',
                         vim.vim_type)
        v1 = self.onboard(vim.vim_type, 'v1')
        v2 = self.onboard(vim.vim_type, 'v2')
        for run, upgrade in zip(runs, bodies.UPGRADES):
            self.console.section('%s on %s' % (run.upgrade, vim.vim_type))
            name = 'demo-%s-%s' % (vim.vim_type, upgrade.lower())
            inst_id = None
            try:
                inst_id = self.create(v1, name)
                self.instantiate(vim, inst_id, name)
                self.change(vim, inst_id, upgrade, v2, run)
            except Exception as exc:
                # Told in the summary; the next flow still runs. (An
                # interruption is not caught: it stops the demo at once.)
                run.state = 'ERROR' if run.state == 'NOT RUN' else run.state
                run.error = str(exc)
                self.console.say('  failed: %s', exc)
            if inst_id is not None:
                self.console.say('cleaning up: terminate and delete %s',
                                 inst_id)
                self.clean_up(inst_id)


def _detail(op):
    error = op.get('Error')
    if isinstance(error, dict):
        return error.get('detail') or error.get('title') or str(error)
    return error or 'no error recorded'
