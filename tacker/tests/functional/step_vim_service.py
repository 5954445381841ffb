"""Run tacker-server or tacker-conductor with the step VIM installed.

The functional tests of the LCM frame need a VIM whose every step they can
make fail from outside the process; the services are the real ones, only
one more infra driver is registered before they start.

    python -m tacker.tests.functional.step_vim_service server|conductor ARGS
"""
import os
import sys

from tacker.sol_refactored.cmd import conductor
from tacker.sol_refactored.cmd import server
from tacker.sol_refactored.common import plugins
from tacker.tests import step_vim


def main():
    which = sys.argv[1]
    vim = step_vim.StepVim(store_file=os.environ['TACKER_STEP_VIM_STORE'])
    plugins.register(plugins.INFRA_DRIVERS, step_vim.VIM_TYPE, vim)
    argv = [sys.argv[0]] + sys.argv[2:]
    return {'server': server.main, 'conductor': conductor.main}[which](argv)


if __name__ == '__main__':
    sys.exit(main())
