"""tacker-db-manage: create and migrate the database schema."""
import sys

from oslo_config import cfg

from tacker.sol_refactored.common import config
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


def main(argv=None):
    CONF.register_cli_opt(cfg.SubCommandOpt(
        'command', title='Commands', handler=_add_commands))
    config.parse_args(argv or sys.argv)
    CONF.command.func()
    return 0


if __name__ == '__main__':
    sys.exit(main())
