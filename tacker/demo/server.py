"""tacker-server for the demo.

SQLite in the run's directory, the conductor inside the server (no
transport_url), a free port on 127.0.0.1, no Keystone.
"""
import os
import shutil
import sys

START_TIMEOUT = 120

CONFIG = """[DEFAULT]
state_path = {state}
bind_host = 127.0.0.1
bind_port = 0

[database]
connection = sqlite:///{state}/tacker.sqlite
"""


def _server_command():
    # The console script next to our interpreter (tox's or the venv's),
    # as ``tox -e run`` starts it.
    script = os.path.join(os.path.dirname(sys.executable), 'tacker-server')
    if os.path.exists(script):
        return [script]
    found = shutil.which('tacker-server')
    if found:
        return [found]
    return [sys.executable, '-m', 'tacker.sol_refactored.cmd.server']


def start(children, run_dir, watcher):
    """Start tacker-server; return (child, base URL)."""
    state = os.path.join(run_dir, 'tacker-state')
    os.makedirs(state, exist_ok=True)
    conf = os.path.join(run_dir, 'tacker.conf')
    with open(conf, 'w') as f:
        f.write(CONFIG.format(state=state))
    env = dict(os.environ)
    # OS_* of the caller's cloud are the client's business, not ours.
    for key in [k for k in env if k.startswith('OS_')]:
        del env[key]
    child = children.start(
        'tacker-server', _server_command() + ['--config-file', conf],
        os.path.join(run_dir, 'tacker-server.log'), env=env)
    child.listen(watcher.feed)
    line = child.wait_line('listening on', START_TIMEOUT)
    return child, line.rsplit(' ', 1)[1]
