"""tacker-db-manage: create and migrate the database schema."""
import sys

from oslo_config import cfg

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import secret_store
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import migration

CONF = config.CONF


def _add_commands(subparsers):
    up = subparsers.add_parser('upgrade', help='Upgrade to a revision.')
    up.add_argument('revision', nargs='?', default='head')
    up.set_defaults(func=lambda: migration.upgrade(CONF.command.revision))
    down = subparsers.add_parser('downgrade',
                                 help='Downgrade to a revision.')
    down.add_argument('revision')
    down.set_defaults(
        func=lambda: migration.downgrade(CONF.command.revision))
    cur = subparsers.add_parser('current', help='Print the revision.')
    cur.set_defaults(func=lambda: print(migration.current() or 'none'))
    head = subparsers.add_parser('head', help='Print the newest revision.')
    head.set_defaults(func=lambda: print(migration.head()))
    gen = subparsers.add_parser(
        'generate-secret-key',
        help='Print a new Fernet key for [DEFAULT] secret_key_file.')
    gen.set_defaults(func=lambda: print(secret_store.generate_key()))
    enc = subparsers.add_parser(
        'encrypt-secrets',
        help='Encrypt every stored secret with the first key of '
             '[DEFAULT] secret_key_file (after adding or rotating a key).')
    enc.set_defaults(func=_encrypt_secrets)
    chk = subparsers.add_parser(
        'check-secrets',
        help='Check that the stored secrets decrypt with the configured '
             'keys.')
    chk.set_defaults(func=_check_secrets)


def _encrypt_secrets():
    if not CONF.secret_key_file:
        sys.exit('[DEFAULT] secret_key_file is not set: there is no key to '
                 'encrypt with.')
    with db_api.get_engine().begin() as connection:
        changed = secret_store.reseal_all(connection)
    print('%d rows encrypted again with the first key of %s' % (
        changed, CONF.secret_key_file))


def _check_secrets():
    with db_api.get_engine().connect() as connection:
        secret_store.check(connection)
    print('the stored secrets decrypt with the configured keys'
          if CONF.secret_key_file else
          'no [DEFAULT] secret_key_file: secrets are stored in clear')


def main(argv=None):
    CONF.register_cli_opt(cfg.SubCommandOpt(
        'command', title='Commands', handler=_add_commands))
    config.parse_args(argv or sys.argv)
    try:
        CONF.command.func()
    except secret_store.SealError as e:
        sys.exit('tacker-db-manage: %s' % e)
    return 0


if __name__ == '__main__':
    sys.exit(main())
