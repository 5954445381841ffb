"""The test cloud's own venv: every service from PyPI, installed once.

The services pin dependency sets of their own, so they never share our
venv.  The venv is cached outside the clone (``TACKER_TEST_OPENSTACK_VENV``
or ``~/.cache/tacker-tests/openstack-venv``); a file lock makes parallel
test processes wait for one installer, and a marker file records what was
installed so that a change of versions or of our plugins reinstalls.
"""
import fcntl
import hashlib
import os
import shutil
import sys
import tempfile

from tacker.tests.openstack_cloud import procs

# The releases seen working together in one venv (pip check clean).
SPECS = (
    'keystone==30.0.0',
    'openstack-heat==27.0.1',
    'nova==34.0.0',
    'openstack-placement==16.0.0',
    'neutron==29.0.0',
    'glance==33.0.0',
    'cinder==29.0.0',
    'python-heatclient==5.3.0',
    'openstacksdk==4.22.0',
    'pyuwsgi==2.0.30',
    'PyMySQL',
)
INSTALL_TIMEOUT = 1800
PLUGINS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           'plugins')


class InstallError(Exception):
    """The venv could not be made (no package index, a failed build)."""


def venv_dir():
    return os.environ.get(
        'TACKER_TEST_OPENSTACK_VENV',
        os.path.join(os.path.expanduser('~'), '.cache', 'tacker-tests',
                     'openstack-venv'))


def _plugins_digest():
    digest = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(PLUGINS_DIR)):
        dirs[:] = sorted(d for d in dirs
                         if d != '__pycache__' and not d.endswith('.egg-info')
                         and d != 'build')
        for name in sorted(files):
            if name.endswith('.pyc'):
                continue
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, PLUGINS_DIR).encode())
            with open(path, 'rb') as f:
                digest.update(f.read())
    return digest.hexdigest()


def _wanted_marker():
    return '\n'.join(SPECS + ('plugins ' + _plugins_digest(),)) + '\n'


def _base_python():
    # A venv made from inside another venv starts from the real interpreter.
    return getattr(sys, '_base_executable', None) or sys.executable


def _plugins_copy(parent):
    # Building in place would leave build/ and *.egg-info in our tree.
    target = os.path.join(parent, 'plugins')
    shutil.copytree(PLUGINS_DIR, target, ignore=shutil.ignore_patterns(
        '__pycache__', '*.pyc', '*.egg-info', 'build'))
    return target


def ensure_installed(log=None):
    """Return the venv's path, installing it first when needed."""
    path = venv_dir()
    marker = os.path.join(path, '.tacker-installed')
    wanted = _wanted_marker()

    def current():
        try:
            with open(marker) as f:
                return f.read()
        except OSError:
            return None

    if current() == wanted:
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            have = current()
            if have == wanted:
                return path
            if log:
                log('installing the OpenStack services into %s' % path)
            try:
                _install(path, have, wanted)
            except RuntimeError as exc:
                raise InstallError('cannot install the OpenStack test cloud '
                                   'into %s: %s' % (path, exc))
            with open(marker, 'w') as f:
                f.write(wanted)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


def _install(path, have, wanted):
    python = os.path.join(path, 'bin', 'python')
    pip = [python, '-m', 'pip', 'install', '--quiet']
    with tempfile.TemporaryDirectory(prefix='tacker-cloud-plugins-') as tmp:
        plugins = _plugins_copy(tmp)
        only_plugins_changed = (
            have is not None and os.path.exists(python) and
            have.splitlines()[:-1] == wanted.splitlines()[:-1])
        if only_plugins_changed:
            procs.run(pip + ['--no-deps', '--force-reinstall', plugins],
                      INSTALL_TIMEOUT)
            return
        if os.path.exists(path):
            shutil.rmtree(path)  # a half-made or outdated venv
        procs.run([_base_python(), '-m', 'venv', path], 300)
        procs.run(pip + ['--upgrade', 'pip'], INSTALL_TIMEOUT)
        procs.run(pip + list(SPECS) + [plugins], INSTALL_TIMEOUT)
    if not os.path.exists(os.path.join(path, 'bin', 'uwsgi')):
        raise RuntimeError('no uwsgi executable after installing')
