"""The test cloud as a test fixture: one cloud per test process.

``OpenStackCloudFixture().vim_connection_info`` is a SOL003
vimConnectionInfo (vimType ``ETSINFV.OPENSTACK_KEYSTONE.V_3``).  Where it
comes from, first match wins:

- ``TACKER_TEST_OPENSTACK_VIM``: a real cloud's vimConnectionInfo, as JSON
  or as the path of a JSON file.  Nothing is started or stopped.
- ``TACKER_TEST_OPENSTACK_STATE_DIR`` naming a cloud that is up (say from
  ``python -m tacker.tests.openstack_cloud up --state-dir D``): it is used
  and left running.
- Otherwise a cloud is started on first use (in that state dir, or a
  temporary one) and brought down when the process exits, unless
  ``TACKER_TEST_OPENSTACK_KEEP`` is set.

When the services cannot be installed (no package index) or the machine
lacks MariaDB's client or rabbitmqctl, the fixture raises SkipTest with
the reason.
"""
import atexit
import fcntl
import json
import os
import shutil
import threading
import unittest

import fixtures

from tacker.tests.openstack_cloud import cloud
from tacker.tests.openstack_cloud import install

_lock = threading.Lock()
_shared = None
_skip_reason = None


def _from_environment():
    given = os.environ.get('TACKER_TEST_OPENSTACK_VIM', '').strip()
    if not given:
        return None
    if not given.startswith('{'):
        with open(given) as f:
            given = f.read()
    return json.loads(given)


class _Shared(object):
    def __init__(self, info, the_cloud=None):
        self.vim_connection_info = info
        self.cloud = the_cloud


def _start():
    info = _from_environment()
    if info is not None:
        return _Shared(info)
    for tool in ('mysql', 'rabbitmqctl'):
        if shutil.which(tool) is None:
            raise unittest.SkipTest('the OpenStack test cloud needs %s' %
                                    tool)
    state_dir = os.environ.get('TACKER_TEST_OPENSTACK_STATE_DIR')
    if state_dir:
        os.makedirs(os.path.dirname(os.path.abspath(state_dir)) or '/',
                    exist_ok=True)
        # Test processes sharing one state dir start it once.
        with open(os.path.abspath(state_dir) + '.lock', 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                the_cloud = cloud.Cloud(state_dir)
                if the_cloud.is_up():
                    return _Shared(the_cloud.vim_connection_info())
                return _bring_up(the_cloud)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return _bring_up(cloud.Cloud())


def _bring_up(the_cloud):
    try:
        info = the_cloud.up()
    except install.InstallError as exc:
        raise unittest.SkipTest(str(exc))
    except BaseException:
        the_cloud.down()
        raise
    if not os.environ.get('TACKER_TEST_OPENSTACK_KEEP'):
        atexit.register(the_cloud.down)
    return _Shared(info, the_cloud)


def shared_cloud():
    """The process-wide cloud, started on first call."""
    global _shared, _skip_reason
    with _lock:
        if _shared is not None:
            return _shared
        if _skip_reason is not None:
            raise unittest.SkipTest(_skip_reason)
        try:
            _shared = _start()
        except unittest.SkipTest as exc:
            _skip_reason = str(exc)
            raise
        return _shared


class OpenStackCloudFixture(fixtures.Fixture):
    """Gives a test the vimConnectionInfo of a running OpenStack cloud."""

    def setUp(self):
        # Get the cloud before fixtures' setUp, which would wrap a
        # SkipTest in MultipleExceptions that runners do not skip on.
        self.shared = shared_cloud()
        super().setUp()

    def _setUp(self):
        pass

    @property
    def vim_connection_info(self):
        return self.shared.vim_connection_info

    @property
    def cloud(self):
        """The Cloud object when this process started it, else None."""
        return self.shared.cloud
