"""SOL data types as oslo.versionedobjects; importing registers them all."""
from tacker.sol_refactored.objects import lcm_op_occ  # noqa: F401
from tacker.sol_refactored.objects import requests  # noqa: F401
from tacker.sol_refactored.objects import subscription  # noqa: F401
from tacker.sol_refactored.objects import vnf_instance  # noqa: F401
from tacker.sol_refactored.objects import vnf_package  # noqa: F401

from tacker.sol_refactored.objects.lcm_op_occ import *  # noqa: F401,F403
from tacker.sol_refactored.objects.requests import *  # noqa: F401,F403
from tacker.sol_refactored.objects.subscription import *  # noqa: F401,F403
from tacker.sol_refactored.objects.vnf_instance import *  # noqa: F401,F403
from tacker.sol_refactored.objects.vnf_package import *  # noqa: F401,F403
