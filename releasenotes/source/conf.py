extensions = ['openstackdocstheme', 'reno.sphinxext']
openstackdocs_repo_name = 'openstack/tacker'
openstackdocs_use_storyboard = False
source_suffix = '.rst'
master_doc = 'index'
project = 'Tacker v2 Release Notes'
copyright = '2026, Tacker v2 developers'
html_theme = 'openstackdocs'
