# Sphinx configuration of the Tacker v2 documentation.

import os
import sys

# First: our package picks oslo.service's threading backend before the
# option and policy extensions import oslo.messaging.
import tacker.sol_refactored  # noqa: F401

# Our own extensions (no network, no new dependency).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '_exts'))

extensions = [
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'oslo_policy.sphinxext',
    'openapi_reference',
]
openstackdocs_repo_name = 'openstack/tacker'
openstackdocs_use_storyboard = False
source_suffix = '.rst'
master_doc = 'index'
project = 'Tacker v2'
copyright = '2026, Tacker v2 developers'
exclude_patterns = ['_build']
pygments_style = 'native'
html_theme = 'openstackdocs'
# The OpenAPI document is published beside the pages, at the root of the
# built site (tacker-v2.yaml).
html_extra_path = ['api/tacker-v2.yaml']
