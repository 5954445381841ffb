"""CoordinateVNF: run a package's coordination script, out of process.

The script is a Python file inside the VNF package; the request names it
relative to the package root, with the class to call. It runs in a child
process (``coordinate_launcher``) with the package as working directory,
reads one JSON document on stdin and is killed at the configured timeout.
Its failure -- a non-zero exit, a timeout, an exception -- is the
operation's failure, with the script's own message (credentials masked).
See doc/source/user/coordinate_vnf.rst for the contract.
"""
import ast
import json
import os
import signal
import subprocess
import sys

from oslo_log import log as logging

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import redact

LOG = logging.getLogger(__name__)
CONF = config.CONF

RESULT_MARK = 'TACKER-COORDINATE-RESULT: '
ERROR_MARK = 'TACKER-COORDINATE-ERROR: '
ABSENT_MARK = 'TACKER-COORDINATE-ABSENT: '


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


def check_class(script_path, class_name, rel_path, param):
    """Refuse (400) a class the script does not define at top level.

    The script is parsed, never imported, in the API process.
    """
    if not isinstance(class_name, str) or not class_name.isidentifier():
        raise sol_ex.BadRequest('%s must be a Python class name.' % param)
    try:
        with open(script_path, 'rb') as f:
            tree = ast.parse(f.read(), filename=rel_path)
    except (SyntaxError, ValueError) as e:
        raise sol_ex.BadRequest('The script %s is not valid Python: %s' % (
            rel_path, e))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return
    raise sol_ex.BadRequest('%s: the script %s defines no class %s.' % (
        param, rel_path, class_name))


def _tail(text, limit):
    text = text or ''
    return text if len(text) <= limit else '...' + text[-limit:]


def run(package_root, script_path, class_name, request, timeout=None,
        method='coordinate'):
    """Run the script's class on request; its result dict, or raise.

    ``method`` is the method of the class to call: ``coordinate``, or
    ``rollback`` when a step is undone. A class without the ``rollback``
    method has nothing to undo: None is returned.
    """
    timeout = timeout or CONF.coordinate_vnf.script_timeout
    secrets = redact.collect_secrets(request)
    rel = os.path.relpath(script_path, package_root)
    argv = [sys.executable, '-m',
            'tacker.sol_refactored.common.coordinate_launcher',
            script_path, class_name, method]
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
           'HOME': package_root, 'PYTHONDONTWRITEBYTECODE': '1',
           'LANG': os.environ.get('LANG', 'C.UTF-8')}
    LOG.info('CoordinateVNF %s:%s.%s starting (timeout %ss)', rel,
             class_name, method, timeout)
    proc = subprocess.Popen(argv, cwd=package_root, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(json.dumps(request), timeout=timeout)
    except subprocess.TimeoutExpired:
        # The whole process group: a script may have started children.
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise CoordinateFailed(
            'CoordinateVNF script %s (class %s) did not finish within %s '
            'seconds and was stopped.' % (rel, class_name, timeout))
    limit = CONF.coordinate_vnf.max_output_bytes
    out = redact.mask_text(_tail(out, limit), secrets)
    err = redact.mask_text(_tail(err, limit), secrets)
    result_lines = [line for line in out.splitlines()
                    if line.startswith(RESULT_MARK)]
    absent = any(line.startswith(ABSENT_MARK) for line in out.splitlines())
    for line in out.splitlines():
        if not line.startswith((RESULT_MARK, ABSENT_MARK)):
            LOG.info('CoordinateVNF %s: %s', rel, line)
    if proc.returncode != 0:
        messages = [line[len(ERROR_MARK):] for line in err.splitlines()
                    if line.startswith(ERROR_MARK)]
        detail = messages[-1] if messages else (
            _tail(err.strip(), 2000) or 'exit status %d' % proc.returncode)
        LOG.warning('CoordinateVNF %s failed: %s', rel, err.strip())
        raise CoordinateFailed(
            'CoordinateVNF script %s (class %s) failed: %s' % (
                rel, class_name, detail))
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
