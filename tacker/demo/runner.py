"""``python -m tacker.demo [kubernetes] [openstack]``: see __init__.py.

Exit status 0 when every change of package COMPLETED and every VNF was
cleaned up, 1 otherwise, 130 when interrupted. Whatever it started is
stopped on every way out; the run's directory (logs, the server's SQLite)
is removed after a success and kept, with its path printed, otherwise.
"""
import argparse
import contextlib
import os
import shutil
import signal
import tempfile

from tacker.demo import bodies
from tacker.demo import cli as cli_mod
from tacker.demo import console as console_mod
from tacker.demo import flows
from tacker.demo import processes
from tacker.demo import server
from tacker.demo import steps
from tacker.demo import summary
from tacker.demo import vims

DEFAULT_TIMEOUT = 900


class Terminated(BaseException):
    """SIGTERM, handled as Ctrl-C is: stop everything, then leave."""


def _on_sigterm(signum, frame):
    raise Terminated()


def _ignore_interrupts(console):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    console.say('stopping what the demo started (Ctrl-C is ignored until '
                'done)')


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='tox -e demo --',
        description='ChangeCurrentVNFPackage end to end: Blue-Green and '
                    'Rolling update on each VIM, through the openstack '
                    'CLI.')
    parser.add_argument('vims', nargs='*',
                        metavar='{kubernetes,openstack}',
                        help='the VIM types to run (default: both)')
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                        help='seconds one LCM operation may take '
                             '(default %(default)s)')
    args = parser.parse_args(argv)
    unknown = sorted(set(args.vims) - set(vims.ALL))
    if unknown:
        parser.error('unknown VIM type %s (choose from %s)' % (
            ', '.join(unknown), ', '.join(vims.ALL)))
    args.vims = [v for v in vims.ALL if v in args.vims] or list(vims.ALL)
    return args


def start_vim(vim_type, vim_children, run_dir, console, stack):
    if vim_type == vims.KUBERNETES:
        return vims.kubernetes(vim_children, run_dir, console)
    return vims.openstack(run_dir, console, stack.callback)


def main(argv=None):
    args = parse_args(argv)
    console = console_mod.Console()
    run_dir = tempfile.mkdtemp(prefix='tacker-demo-')
    os.chmod(run_dir, 0o700)
    runs = {vim_type: [summary.Run(vim_type, '(not started)',
                                   bodies.TITLES[u])
                       for u in bodies.UPGRADES]
            for vim_type in args.vims}
    problems = []
    interrupted = False
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    previous_int = signal.getsignal(signal.SIGINT)
    console.section('ChangeCurrentVNFPackage demo: %s' % ', '.join(
        args.vims))
    console.say('run directory (logs, SQLite): %s', run_dir)
    try:
        with contextlib.ExitStack() as stack:
            # Torn down in reverse: the server first, then the test
            # cloud, then the simulator.
            vim_children = processes.Children(console)
            stack.callback(vim_children.stop_all)
            vim_teardown = stack.enter_context(contextlib.ExitStack())
            server_children = processes.Children(console)
            stack.callback(server_children.stop_all)
            # Unwinding starts here: a second Ctrl-C must not cut the
            # teardown short.
            stack.callback(_ignore_interrupts, console)
            watcher = steps.StepWatcher()
            _child, url = server.start(server_children, run_dir, watcher)
            console.say('tacker-server at %s (SQLite, conductor in '
                        'process, no Keystone)', url)
            console.say('every request below is python-tackerclient\'s '
                        '"openstack --os-auth-type none --os-endpoint %s '
                        '..."', url)
            cli = cli_mod.Cli(url, console)
            work = flows.VimFlows(cli, console, watcher, run_dir,
                                  args.timeout, problems)
            for vim_type in args.vims:
                console.section('%s VIM' % vim_type)
                try:
                    vim = start_vim(vim_type, vim_children, run_dir,
                                    console, vim_teardown)
                except Exception as exc:
                    for run in runs[vim_type]:
                        run.state = 'NOT RUN'
                        run.error = 'the VIM did not start: %s' % exc
                    console.say('the %s VIM did not start: %s', vim_type,
                                exc)
                    continue
                console.say('VIM: %s', vim.label)
                for run in runs[vim_type]:
                    run.vim_label = vim.label
                try:
                    work.run_vim(vim, runs[vim_type])
                except Exception as exc:
                    for run in runs[vim_type]:
                        if run.state == 'NOT RUN':
                            run.error = str(exc)
                    console.say('the %s flows stopped: %s', vim_type, exc)
    except (KeyboardInterrupt, Terminated):
        interrupted = True
        console.say('interrupted; everything the demo started is stopped')
    except Exception as exc:
        problems.append(str(exc))
        console.say('the demo could not go on: %s', exc)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)

    all_runs = [run for vim_type in args.vims for run in runs[vim_type]]
    if interrupted:
        for run in all_runs:
            if run.op_id and run.state == 'NOT RUN':
                run.state = 'INTERRUPTED'
    console.section('Summary')
    console.raw(summary.format_summary(all_runs))
    for problem in problems:
        console.raw('problem: %s' % problem)
    ok = not interrupted and not problems and all(
        run.completed for run in all_runs)
    if ok:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        console.raw('logs kept in %s' % run_dir)
    if interrupted:
        return 130
    return 0 if ok else 1
