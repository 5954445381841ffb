"""Configuration options of tacker-server and tacker-conductor.

Every option is registered here so that ``tox -e genconfig`` documents them
all and so that both services read one file.
"""
import os

from oslo_config import cfg
from oslo_db import options as db_options
from oslo_log import log as logging
import oslo_messaging
from oslo_messaging import opts as messaging_opts

CONF = cfg.CONF

DEFAULT_STATE_PATH = os.path.join(os.path.expanduser('~'), '.local', 'state',
                                  'tacker')

cli_opts = [
    cfg.StrOpt('state_path', default=DEFAULT_STATE_PATH,
               help='Directory where tacker keeps its state: the SQLite '
                    'database (when [database] connection is not set) and '
                    'the contents of on-boarded VNF packages.'),
    cfg.HostAddressOpt('bind_host', default='127.0.0.1',
                       help='Address tacker-server listens on.'),
    cfg.PortOpt('bind_port', default=9890,
                help='Port tacker-server listens on (0 picks a free one).'),
]

core_opts = [
    cfg.IntOpt('api_threads', default=16, min=1,
               help='Number of threads serving API requests.'),
    cfg.StrOpt('auth_strategy', default='noauth',
               choices=[('noauth', 'No authentication: every request is '
                                   'treated as coming from an admin.'),
                        ('keystone', 'Tokens are validated by '
                                     'keystonemiddleware; see '
                                     '[keystone_authtoken].')],
               help='How API requests are authenticated.'),
    cfg.URIOpt('public_endpoint',
               help='Base URL clients use to reach tacker-server, used in '
                    'Location headers and links. Defaults to the URL the '
                    'request arrived on.'),
    cfg.StrOpt('secret_key_file',
               help='File of Fernet keys, one per line, that encrypt the '
                    'secrets kept in the database (VIM passwords and '
                    'tokens, subscription credentials); the first line '
                    'encrypts, every line decrypts. "tacker-db-manage '
                    'generate-secret-key" prints a key; "tacker-db-manage '
                    'encrypt-secrets" encrypts what is stored (after a key '
                    'is added or rotated). Unset: secrets are stored in '
                    'clear.'),
    cfg.IntOpt('max_request_body_size', default=1024 * 1024, min=1024,
               help='Largest JSON request body tacker-server reads, in '
                    'bytes; a larger one is refused with 413 before it is '
                    'read. The CSAR upload has its own limit, '
                    '[vnf_package] max_csar_size.'),
    cfg.IntOpt('max_json_depth', default=32, min=4,
               help='Deepest nesting of objects and arrays a JSON request '
                    'body may have; a deeper one is refused with 400.'),
    cfg.StrOpt('default_project_id',
               help='Keystone project id that owns what has no project of '
                    'its own: the VNF packages, instances, operation '
                    'occurrences and subscriptions that existed before '
                    'project scoping (set by the database migration 0003) '
                    'and those created with auth_strategy = noauth. When '
                    'unset they belong to no project, and only admins see '
                    'them once Keystone is used.'),
]

v2_vnfm_opts = [
    cfg.IntOpt('vnf_instance_page_size', default=100, min=0,
               help='Entries per page of GET /vnf_instances; 0 disables '
                    'paging.'),
    cfg.IntOpt('lcm_op_occ_page_size', default=100, min=0,
               help='Entries per page of GET /vnf_lcm_op_occs; 0 disables '
                    'paging.'),
    cfg.IntOpt('subscription_page_size', default=100, min=0,
               help='Entries per page of GET /subscriptions; 0 disables '
                    'paging.'),
    cfg.IntOpt('vnf_package_page_size', default=100, min=0,
               help='Entries per page of GET /vnf_packages; 0 disables '
                    'paging.'),
]

conductor_opts = [
    cfg.StrOpt('topic', default='tacker_conductor',
               help='RPC topic the conductors listen on.'),
    cfg.IntOpt('workers', default=4, min=1,
               help='Operations one conductor runs at the same time; '
                    'more wait their turn in the state they were asked '
                    'in (STARTING for a new one), and the log says so. '
                    'Each running operation holds a thread and, while a '
                    'CoordinateVNF script runs, a child process: size it '
                    'to what the VIMs and the host take at once.'),
    cfg.FloatOpt('heartbeat_interval', default=10.0, min=0.1,
                 help='Seconds between two heartbeats of a conductor in '
                      'the database.'),
    cfg.FloatOpt('lease_timeout', default=60.0, min=0.5,
                 help='A conductor whose last heartbeat is older than this '
                      'many seconds is considered gone: the operations it '
                      'owned in PROCESSING or ROLLING_BACK are moved to '
                      'FAILED_TEMP by the other conductors.'),
    cfg.BoolOpt('in_process', default=None,
                help='Run the conductor inside tacker-server. Default: yes '
                     'when no transport_url is configured.'),
]

notification_opts = [
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Delivery attempts for one notification.'),
    cfg.FloatOpt('retry_interval', default=1.0, min=0.0,
                 help='Seconds before the first retry of a failed delivery; '
                      'doubled for each following one.'),
    cfg.FloatOpt('timeout', default=10.0, min=0.1,
                 help='Connect and read timeout (seconds) of a '
                      'notification POST and of the GET that tests a '
                      'callback URI when a subscription is created.'),
    cfg.BoolOpt('test_callback_uri', default=True,
                help='Send a GET to the callback URI when a subscription '
                     'is created and refuse the subscription if it does '
                     'not answer 204.'),
    cfg.IntOpt('workers', default=4, min=1,
               help='Threads delivering notifications.'),
    cfg.ListOpt('allowed_callback_networks',
                default=['0.0.0.0/0', '::/0'],
                help='Networks (CIDR) that callback URIs and OAuth 2.0 '
                     'token endpoints of subscriptions may lead to; '
                     'anything else is refused when the subscription is '
                     'created and at every delivery. Loopback, link-local, '
                     'unspecified and multicast addresses are refused '
                     'unless a network listed here lies inside their block '
                     '(e.g. 127.0.0.0/8 for a receiver on this host).'),
    cfg.BoolOpt('verify_tls', default=True,
                help='Verify TLS certificates of callback URIs.'),
]

vnf_package_opts = [
    cfg.StrOpt('vnf_package_csar_path',
               help='Where package contents are kept. Default: '
                    '$state_path/vnf_packages.'),
    cfg.IntOpt('max_csar_size', default=1024 * 1024 * 1024, min=1,
               help='Largest accepted CSAR upload in bytes.'),
    cfg.IntOpt('max_unpacked_ratio', default=10, min=1,
               help='A CSAR may unpack to at most this many times its own '
                    'size (but at least min_unpacked_allowance and at most '
                    'max_unpacked_size); more is refused with 413, from '
                    'the sizes the archive declares and again while it is '
                    'unpacked.'),
    cfg.IntOpt('max_unpacked_size', default=4 * 1024 * 1024 * 1024, min=1,
               help='Absolute limit, in bytes, of what one CSAR may unpack '
                    'to.'),
    cfg.IntOpt('min_unpacked_allowance', default=64 * 1024 * 1024, min=0,
               help='What any CSAR may unpack to, in bytes, whatever its '
                    'size (small packages of text compress well).'),
    cfg.BoolOpt('enable_on_onboarding', default=True,
                help='Give a package operationalState ENABLED as soon as '
                     'it is on-boarded, so that VNFs can use it at once. '
                     'Set to false to keep on-boarded packages DISABLED '
                     'until an operator enables them with PATCH '
                     '{"operationalState": "ENABLED"}.'),
    cfg.ListOpt('trusted_ca_certs', default=[],
                help='PEM files of the CA certificates that VNF package '
                     'signatures (the CMS signature of the manifest, '
                     'SOL004 security option 1) must chain to. Empty: a '
                     'signature is still checked against the certificate '
                     'the package carries, but the package is recorded as '
                     'signed and UNVERIFIED, since nothing tells who the '
                     'signer is.'),
]


coordinate_opts = [
    cfg.FloatOpt('script_timeout', default=600.0, min=0.1,
                 help='Seconds a CoordinateVNF script may run before it is '
                      'killed and the operation fails.'),
    cfg.IntOpt('max_output_bytes', default=1024 * 1024, min=1024,
               help='Output of a CoordinateVNF script kept for the log and '
                    'the error detail; the rest is dropped.'),
    cfg.BoolOpt('pid_namespace', default=True,
                help='Run each CoordinateVNF script in a PID namespace of '
                     'its own (with a user namespace when not root), so '
                     'that every process it starts ends with it, at its '
                     'time limit, and when the conductor dies. Where the '
                     'kernel refuses namespaces, or when false, the '
                     'script runs under a child subreaper that ends its '
                     'processes with it and at the time limit, but not '
                     'when the conductor is killed with SIGKILL.'),
]


def _register():
    CONF.register_cli_opts(cli_opts)
    CONF.register_opts(core_opts)
    CONF.register_opts(v2_vnfm_opts, 'v2_vnfm')
    CONF.register_opts(conductor_opts, 'conductor')
    CONF.register_opts(notification_opts, 'notification')
    CONF.register_opts(vnf_package_opts, 'vnf_package')
    CONF.register_opts(coordinate_opts, 'coordinate_vnf')
    db_options.set_defaults(CONF, connection=None)
    logging.register_options(CONF)
    oslo_messaging.set_transport_defaults('tacker')
    # transport_url decides whether the conductor runs in-process, so it
    # must be readable before any transport exists.
    for group, opts in messaging_opts.list_opts():
        if group in (None, 'DEFAULT'):
            CONF.register_opts(opts)


_register()


def state_path(*parts):
    return os.path.join(CONF.state_path, *parts)


def database_connection():
    """The configured database URL, or SQLite under state_path."""
    if CONF.database.connection:
        return CONF.database.connection
    return 'sqlite:///' + state_path('tacker.sqlite')


def csar_path():
    return CONF.vnf_package.vnf_package_csar_path or state_path(
        'vnf_packages')


def parse_args(argv, default_config_files=None):
    CONF(argv[1:], project='tacker',
         default_config_files=default_config_files)


def list_opts():
    return [
        ('DEFAULT', cli_opts + core_opts),
        ('v2_vnfm', v2_vnfm_opts),
        ('conductor', conductor_opts),
        ('notification', notification_opts),
        ('vnf_package', vnf_package_opts),
        ('coordinate_vnf', coordinate_opts),
    ]
