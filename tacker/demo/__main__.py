import sys

from tacker.demo import runner

sys.exit(runner.main())
