"""tacker-server: the REST API, and the conductor too when no transport_url
is configured."""
import signal
import sys
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

from tacker.sol_refactored.api import app as sol_app
from tacker.sol_refactored.cmd import common
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import delivery
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import vnf_package_store
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.conductor import service

LOG = logging.getLogger(__name__)
CONF = config.CONF


def main(argv=None):
    common.setup(argv or sys.argv, 'tacker-server')
    common.ensure_schema()
    vnf_package_store.remove_leftovers()
    try:
        application = sol_app.build_app()
    except sol_ex.PluginLoadError as e:
        sys.exit(str(e))

    conductor = None
    if rpc.in_process():
        conductor = service.ConductorService()
        conductor.start()

    server = cheroot_wsgi.Server((CONF.bind_host, CONF.bind_port),
                                 application, numthreads=CONF.api_threads,
                                 server_name='tacker-server')
    server.prepare()
    host, port = server.bind_addr[:2]
    # The first line tells scripts and tests where to reach us.
    print('tacker-server listening on http://%s:%s' % (host, port),
          flush=True)
    LOG.info('Listening on http://%s:%s (conductor %s)', host, port,
             'in-process' if conductor else 'over ' + 'RPC')

    stopping = threading.Event()

    def _stop(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.stop, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        server.serve()
    finally:
        if conductor is not None:
            conductor.stop()
        rpc.reset()
        # Give queued notifications a moment; what is left is logged.
        delivery.reset(timeout=5)
    LOG.info('tacker-server stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
