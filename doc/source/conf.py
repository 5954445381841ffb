# Sphinx configuration of the Tacker v2 documentation.

# First: our package picks oslo.service's threading backend before the
# option and policy extensions import oslo.messaging.
import tacker.sol_refactored  # noqa: F401
extensions = [
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'oslo_policy.sphinxext',
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
