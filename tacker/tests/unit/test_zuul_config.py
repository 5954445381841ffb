"""The Zuul configuration is well formed and names what exists.

Zuul itself only reads it on a gate; these checks catch a typo here: a
file that is not YAML, a playbook that does not exist, a tox environment
tox.ini does not have, a job the project runs that nobody defines.
"""
import configparser
import pathlib

import testtools
import yaml

REPO = pathlib.Path(__file__).resolve().parents[3]
# Jobs our jobs build on, defined by zuul-jobs and devstack.
EXTERNAL_PARENTS = {'tox', 'devstack-multinode'}
PLAYBOOK_KEYS = ('pre-run', 'run', 'post-run', 'cleanup-run')


def _load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def _zuul_items():
    items = []
    for path in sorted((REPO / 'zuul.d').glob('*.yaml')):
        items += [(path.name, item) for item in _load(path)]
    return items


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class TestZuulConfig(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.items = _zuul_items()
        self.jobs = {item['job']['name']: item['job']
                     for _f, item in self.items if 'job' in item}

    def test_files_hold_zuul_items(self):
        self.assertTrue(self.items)
        for name, item in self.items:
            self.assertEqual(1, len(item), name)
            self.assertIn(next(iter(item)), ('job', 'project'), name)

    def test_every_playbook_parses_as_plays(self):
        playbooks = sorted((REPO / 'playbooks').rglob('*.yaml'))
        self.assertTrue(playbooks)
        for path in playbooks:
            plays = _load(path)
            self.assertIsInstance(plays, list, path)
            for play in plays:
                self.assertIn('hosts', play, path)

    def test_job_playbooks_exist(self):
        referenced = set()
        for name, job in self.jobs.items():
            for key in PLAYBOOK_KEYS:
                for playbook in _as_list(job.get(key)):
                    referenced.add(playbook)
                    self.assertTrue((REPO / playbook).is_file(),
                                    '%s %s: %s' % (name, key, playbook))
        # No playbook is left unused.
        present = {str(p.relative_to(REPO))
                   for p in (REPO / 'playbooks').rglob('*.yaml')}
        self.assertEqual(set(), present - referenced)

    def test_parents_are_known(self):
        for name, job in self.jobs.items():
            parent = job.get('parent')
            self.assertTrue(parent in self.jobs or parent in EXTERNAL_PARENTS,
                            '%s: parent %s' % (name, parent))

    def test_project_runs_defined_jobs(self):
        projects = [item['project'] for _f, item in self.items
                    if 'project' in item]
        self.assertEqual(1, len(projects))
        for pipeline, config in projects[0].items():
            for job in config['jobs']:
                job_name = job if isinstance(job, str) else next(iter(job))
                self.assertIn(job_name, self.jobs, pipeline)
                self.assertFalse(self.jobs[job_name].get('abstract'),
                                 job_name)

    def test_tox_environments_exist(self):
        tox = configparser.ConfigParser(interpolation=None)
        tox.read(REPO / 'tox.ini')
        envs = {s.split(':', 1)[1] for s in tox.sections()
                if s.startswith('testenv:')}
        envs |= set(tox['tox']['envlist'].split(','))
        wanted = {'pep8', 'py3', 'functional', 'docs', 'releasenotes'}
        seen = set()
        for name, job in self.jobs.items():
            envlist = (job.get('vars') or {}).get('tox_envlist')
            if envlist:
                self.assertIn(envlist, envs, name)
                seen.add(envlist)
        self.assertEqual(wanted, seen & wanted)

    def test_bindep_profiles_install_the_test_services(self):
        lines = [line.split('#', 1)[0].strip() for line in
                 (REPO / 'bindep.txt').read_text().splitlines()]
        packages = {line.split()[0] for line in lines if line}
        for needed in ('mariadb-server', 'postgresql', 'rabbitmq-server',
                       'openssh-server', 'haproxy'):
            self.assertIn(needed, packages)
