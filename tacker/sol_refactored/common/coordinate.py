"""CoordinateVNF: run a package's coordination script, out of process.

The script is a Python file inside the VNF package; the request names it
relative to the package root, with the class to call. It runs in a child
process (``coordinate_launcher``) with the package as working directory,
reads one JSON document on stdin and is killed at the configured timeout.
Its failure -- a non-zero exit, a timeout, an exception -- is the
operation's failure, with the script's own message (credentials masked).

Without a class the script is a program in the convention of upstream
Tacker's v2 API (``run_program``): it runs once per VNFC with a pickled
dict on stdin (``coordinate_legacy``), in the same confinement (working
directory, environment, time limit, process group, output limit).
See doc/source/user/coordinate_vnf.rst for both contracts.
"""
import ast
import json
import os
import pickle
import signal
import subprocess
import sys
import threading

from oslo_log import log as logging

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import coordinate_legacy
from tacker.sol_refactored.common import coordinate_supervisor
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import redact

LOG = logging.getLogger(__name__)
CONF = config.CONF

RESULT_MARK = 'TACKER-COORDINATE-RESULT: '
ERROR_MARK = 'TACKER-COORDINATE-ERROR: '
ABSENT_MARK = 'TACKER-COORDINATE-ABSENT: '
LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'coordinate_launcher.py')
SUPERVISOR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'coordinate_supervisor.py')
# Seconds a stopped script's supervisor gets to end its processes.
STOP_GRACE = 5


class CoordinateFailed(sol_ex.SolException):
    status = 500
    title = 'CoordinateVNF failed'


def resolve_script(package_root, rel_path, param):
    """The script's real path, refused (400) unless inside the package."""
    if not isinstance(rel_path, str) or not rel_path.strip():
        raise sol_ex.BadRequest('%s must name a script in the package.' %
                                param)
    if os.path.isabs(rel_path):
        raise sol_ex.BadRequest(
            '%s is an absolute path (%s); give a path relative to the '
            'package root, e.g. Scripts/coordinate_new_vnf.py.' % (
                param, rel_path))
    root = os.path.realpath(package_root)
    path = os.path.realpath(os.path.join(root, rel_path))
    if os.path.commonpath([root, path]) != root:
        raise sol_ex.BadRequest(
            '%s (%s) leads outside the VNF package; scripts must be files '
            'of the package.' % (param, rel_path))
    if not os.path.isfile(path):
        raise sol_ex.BadRequest('%s: the package has no file %s.' % (
            param, rel_path))
    return path


def _parse(script_path, rel_path):
    try:
        with open(script_path, 'rb') as f:
            return ast.parse(f.read(), filename=rel_path)
    except (SyntaxError, ValueError) as e:
        raise sol_ex.BadRequest('The script %s is not valid Python: %s' % (
            rel_path, e))


def check_program(script_path, rel_path):
    """Refuse (400) a script run as a program that is not valid Python.

    The script is parsed, never run, in the API process.
    """
    _parse(script_path, rel_path)


def check_class(script_path, class_name, rel_path, param):
    """Refuse (400) a class the script does not define at top level.

    The script is parsed, never imported, in the API process.
    """
    if not isinstance(class_name, str) or not class_name.isidentifier():
        raise sol_ex.BadRequest('%s must be a Python class name.' % param)
    tree = _parse(script_path, rel_path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return
    raise sol_ex.BadRequest('%s: the script %s defines no class %s.' % (
        param, rel_path, class_name))


def _tail(text, limit):
    text = text or ''
    return text if len(text) <= limit else '...' + text[-limit:]


class _Tail:
    """The last ``limit`` bytes of a stream, read in a thread of its own.

    A script may print 100 MB: only the tail is kept, so the conductor's
    memory does not grow with it.
    """

    def __init__(self, stream, limit):
        self.stream = stream
        self.limit = limit
        self.data = bytearray()
        self.thread = threading.Thread(target=self._read, daemon=True,
                                       name='coordinate-output')
        self.thread.start()

    def _read(self):
        try:
            while True:
                chunk = self.stream.read1(65536)
                if not chunk:
                    return
                self.data += chunk
                if len(self.data) > 2 * self.limit:
                    del self.data[:len(self.data) - self.limit]
        except (OSError, ValueError):
            return

    def value(self):
        return bytes(self.data[-self.limit:])


def _feed(stream, data):
    try:
        stream.write(data)
    except (BrokenPipeError, OSError, ValueError):
        pass
    finally:
        try:
            stream.close()
        except OSError:
            pass


def _launch(package_root, argv, data, label, timeout, secrets):
    """Run argv confined; (exit status, stdout, stderr) masked and cut.

    The child runs under ``coordinate_supervisor``, which sees that every
    process it starts ends with it, with the package as working directory
    and home and a minimal environment. The time limit is the script's,
    whatever it does with its output: its output is read in threads and
    the wait is on the process, never on the output closing.
    """
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
           'HOME': package_root, 'PYTHONDONTWRITEBYTECODE': '1',
           'LANG': os.environ.get('LANG', 'C.UTF-8')}
    LOG.info('CoordinateVNF %s starting (timeout %ss)', label, timeout)
    limit = CONF.coordinate_vnf.max_output_bytes
    proc = subprocess.Popen(
        [sys.executable, SUPERVISOR, str(os.getpid()),
         'namespace' if CONF.coordinate_vnf.pid_namespace else 'subreaper']
        + list(argv),
        cwd=package_root, env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    threading.Thread(target=_feed, args=(proc.stdin, data), daemon=True,
                     name='coordinate-input').start()
    out, err = _Tail(proc.stdout, limit), _Tail(proc.stderr, limit)
    timed_out = False
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        # The supervisor ends everything the script started, then itself.
        proc.terminate()
        try:
            proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for tail in (out, err):
        tail.thread.join(STOP_GRACE)
    for stream in (proc.stdout, proc.stderr):
        stream.close()
    err_lines = []
    for line in err.value().decode('utf-8', 'replace').splitlines():
        if line.startswith(coordinate_supervisor.MODE_MARK):
            LOG.debug('CoordinateVNF %s ran confined by %s', label,
                      line[len(coordinate_supervisor.MODE_MARK):])
        else:
            err_lines.append(line)
    if timed_out:
        raise CoordinateFailed(
            'CoordinateVNF script %s did not finish within %s seconds and '
            'was stopped, with every process it started.' % (label, timeout))

    def clean(text):
        return redact.mask_text(_tail(text, limit), secrets)
    return (proc.returncode, clean(out.value().decode('utf-8', 'replace')),
            clean('\n'.join(err_lines)))


def run(package_root, script_path, class_name, request, timeout=None,
        method='coordinate'):
    """Run the script's class on request; its result dict, or raise.

    ``method`` is the method of the class to call: ``coordinate``, or
    ``rollback`` when a step is undone. A class without the ``rollback``
    method has nothing to undo: None is returned. Without a class
    (``class_name`` None) the script is run as a program: see
    ``run_program``.
    """
    if class_name is None:
        return run_program(package_root, script_path, request,
                           timeout=timeout, method=method)
    timeout = timeout or CONF.coordinate_vnf.script_timeout
    secrets = redact.collect_secrets(request)
    rel = os.path.relpath(script_path, package_root)
    argv = [sys.executable, LAUNCHER, script_path, class_name, method]
    label = '%s (class %s)' % (rel, class_name)
    status, out, err = _launch(package_root, argv,
                               json.dumps(request).encode(),
                               '%s:%s.%s' % (rel, class_name, method),
                               timeout, secrets)
    result_lines = [line for line in out.splitlines()
                    if line.startswith(RESULT_MARK)]
    absent = any(line.startswith(ABSENT_MARK) for line in out.splitlines())
    for line in out.splitlines():
        if not line.startswith((RESULT_MARK, ABSENT_MARK)):
            LOG.info('CoordinateVNF %s: %s', rel, line)
    if status != 0:
        messages = [line[len(ERROR_MARK):] for line in err.splitlines()
                    if line.startswith(ERROR_MARK)]
        detail = messages[-1] if messages else (
            _tail(err.strip(), 2000) or 'exit status %d' % status)
        LOG.warning('CoordinateVNF %s failed: %s', rel, err.strip())
        raise CoordinateFailed(
            'CoordinateVNF script %s failed: %s' % (label, detail))
    if absent and not result_lines:
        LOG.info('CoordinateVNF %s: class %s has no method %s; nothing to '
                 'do', rel, class_name, method)
        return None
    if not result_lines:
        return {}
    try:
        result = json.loads(result_lines[-1][len(RESULT_MARK):])
    except ValueError:
        raise CoordinateFailed('CoordinateVNF script %s returned a result '
                               'that is not JSON.' % rel)
    return result if isinstance(result, dict) else {'result': result}


def run_program(package_root, script_path, request, timeout=None,
                method='coordinate', base_url=None):
    """Run a script without class as a program, once per VNFC; {} or raise.

    stdin is the pickled dict of ``coordinate_legacy.inputs``; there is no
    separate undo: ``rollback`` runs the program again with
    ``is_rollback`` true. Exit status 0 is success; any other status is
    the operation's failure, with the tail of stderr (credentials masked)
    as the reason. Stdout is only logged. The first failing VNFC stops
    the call.
    """
    timeout = timeout or CONF.coordinate_vnf.script_timeout
    secrets = redact.collect_secrets(request)
    rel = os.path.relpath(script_path, package_root)
    runs = coordinate_legacy.inputs(request, method == 'rollback', base_url)
    if not runs:
        LOG.info('CoordinateVNF %s: no VNFC of a VDU in vdu_params in this '
                 'call; the program is not run', rel)
    for what, doc in runs:
        # Plain values only; the child is the only one to unpickle.
        data = pickle.dumps(doc, protocol=pickle.DEFAULT_PROTOCOL)
        label = '%s (run as a program, for %s%s)' % (
            rel, what, ', is_rollback' if doc['is_rollback'] else '')
        status, out, err = _launch(package_root,
                                   [sys.executable, script_path], data,
                                   label, timeout, secrets)
        for line in out.splitlines():
            LOG.info('CoordinateVNF %s: %s', rel, line)
        if status != 0:
            LOG.warning('CoordinateVNF %s failed: %s', label, err.strip())
            reason = _tail(' '.join(err.split()), 2000) or (
                'no message on stderr')
            raise CoordinateFailed(
                'CoordinateVNF script %s failed with exit status %d: %s' % (
                    label, status, reason))
    return {}
