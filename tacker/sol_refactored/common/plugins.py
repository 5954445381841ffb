"""Loading the LCM-operation and infra-driver plugins (stevedore).

A missing or broken plugin stops the service at start-up with a message
naming it; a request never meets a half-loaded plugin.
"""
import threading

from oslo_log import log as logging
from stevedore import extension

from tacker.sol_refactored.common import exceptions as sol_ex

LOG = logging.getLogger(__name__)

LCM_OPERATIONS = 'tacker.sol_refactored.lcm_operations'
INFRA_DRIVERS = 'tacker.sol_refactored.infra_drivers'

# Short spellings Tacker users know, mapped to the SOL003 vimType.
VIM_TYPE_ALIASES = {
    'openstack': 'ETSINFV.OPENSTACK_KEYSTONE.V_3',
    'kubernetes': 'ETSINFV.KUBERNETES.V_1',
}

_lock = threading.Lock()
_cache = {}


def _raise(manager, entrypoint, exception):
    raise sol_ex.PluginLoadError(
        'Plugin %s in %s could not be loaded: %s' % (
            entrypoint, manager.namespace, exception)) from exception


def _load(namespace):
    with _lock:
        if namespace not in _cache:
            mgr = extension.ExtensionManager(
                namespace, invoke_on_load=True,
                on_load_failure_callback=_raise)
            plugins = {ext.name: ext.obj for ext in mgr}
            LOG.info('Loaded %s: %s', namespace, ', '.join(sorted(plugins)))
            _cache[namespace] = plugins
        return _cache[namespace]


def register(namespace, name, obj):
    """Add a plugin in-process (tests and embedding)."""
    _load(namespace)[name] = obj


def unregister(namespace, name):
    _load(namespace).pop(name, None)


def lcm_operations():
    """{api action name: operation plugin}."""
    return _load(LCM_OPERATIONS)


def lcm_operation_by_type(operation):
    for plugin in lcm_operations().values():
        if plugin.operation == operation:
            return plugin
    raise sol_ex.SolException(
        'No LCM operation plugin handles %s; the operation cannot be '
        'continued by this conductor.' % operation)


def infra_drivers():
    return _load(INFRA_DRIVERS)


def normalize_vim_type(vim_type):
    return VIM_TYPE_ALIASES.get(vim_type, vim_type)


def infra_driver(vim_type):
    vim_type = normalize_vim_type(vim_type)
    driver = infra_drivers().get(vim_type)
    if driver is None:
        raise sol_ex.UnprocessableEntity(
            'No infra driver is installed for vimType %s; installed: %s.' %
            (vim_type, ', '.join(sorted(infra_drivers())) or 'none'))
    return driver


def load_all():
    """Load every plugin now; called at service start-up."""
    lcm_operations()
    infra_drivers()
