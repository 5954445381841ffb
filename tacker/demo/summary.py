"""The end of the demo: what each change of package did, in a few lines.

The VNFCs are read from ``openstack vnflcm show -f json`` before and after
the change; what changed is told per VDU by the VNFCs' compute resource
ids (Pods on Kubernetes, servers on OpenStack).
"""
import dataclasses
import typing


def vnfcs_of(shown):
    """[{'id', 'vdu', 'resource'}] of a ``vnflcm show`` answer."""
    info = shown.get('Instantiated Vnf Info') or {}
    if not isinstance(info, dict):
        return []
    vnfcs = [{'id': v.get('id'), 'vdu': v.get('vduId'),
              'resource': (v.get('computeResource') or {}).get('resourceId')}
             for v in info.get('vnfcResourceInfo') or []]
    return sorted(vnfcs, key=lambda v: (v['vdu'] or '', v['id'] or ''))


def diff_vnfcs(before, after):
    """Per VDU, what became of its VNFCs' compute resources.

    {vdu: {'kept': [id], 'replaced': [(old, new)], 'removed': [id],
    'added': [id]}}: ``kept`` resources are there before and after;
    ``replaced`` pairs a VNFC that kept its id but not its resource (an
    in-place replacement); the others went or came with their VNFC.
    """
    vdus = sorted({v['vdu'] for v in before} | {v['vdu'] for v in after},
                  key=lambda vdu: vdu or '')
    result = {}
    for vdu in vdus:
        old = {v['id']: v['resource'] for v in before if v['vdu'] == vdu}
        new = {v['id']: v['resource'] for v in after if v['vdu'] == vdu}
        kept = set(old.values()) & set(new.values())
        replaced = [(old[i], new[i]) for i in sorted(set(old) & set(new))
                    if old[i] != new[i] and old[i] not in kept and
                    new[i] not in kept]
        paired_old = {o for o, _n in replaced}
        paired_new = {n for _o, n in replaced}
        result[vdu] = {
            'kept': sorted(kept),
            'replaced': replaced,
            'removed': sorted(set(old.values()) - kept - paired_old),
            'added': sorted(set(new.values()) - kept - paired_new),
        }
    return result


def changed_resources(diff):
    """How many compute resources are no longer there."""
    return sum(len(d['replaced']) + len(d['removed'])
               for d in diff.values())


@dataclasses.dataclass
class Run:
    """One change of package on one VIM, as the summary tells it."""
    vim_type: str
    vim_label: str
    upgrade: str
    state: str = 'NOT RUN'
    duration: typing.Optional[float] = None
    op_id: typing.Optional[str] = None
    old_vnfd: typing.Optional[str] = None
    old_version: typing.Optional[str] = None
    new_vnfd: typing.Optional[str] = None
    new_version: typing.Optional[str] = None
    before: list = dataclasses.field(default_factory=list)
    after: list = dataclasses.field(default_factory=list)
    error: typing.Optional[str] = None
    notes: list = dataclasses.field(default_factory=list)

    @property
    def completed(self):
        return self.state == 'COMPLETED'


def one_line(text, limit=400):
    text = ' '.join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + '...'


def _version(vnfd, version):
    if not vnfd:
        return '?'
    return '%s (%s)' % (vnfd, version) if version else vnfd


def format_run(run):
    head = '%s on %s: %s' % (run.upgrade, run.vim_type, run.state)
    if run.duration is not None:
        head += ' in %.1f s' % run.duration
    lines = [head, '  VIM       %s' % run.vim_label]
    if run.op_id:
        lines.append('  op occ    %s' % run.op_id)
    if run.old_vnfd:
        new = (_version(run.new_vnfd, run.new_version) if run.completed
               else 'unchanged')
        lines.append('  vnfdId    %s -> %s' % (
            _version(run.old_vnfd, run.old_version), new))
    if run.completed:
        diff = diff_vnfcs(run.before, run.after)
        for vdu, change in diff.items():
            label = '  %-9s ' % vdu
            for verb, items in (('replaced', ['%s -> %s' % pair for pair in
                                              change['replaced']]),
                                ('removed', change['removed']),
                                ('added', change['added']),
                                ('unchanged', change['kept'])):
                if items:
                    lines.append('%s%-9s %s' % (label, verb,
                                                ', '.join(items)))
                    label = ' ' * len(label)
        lines.append('  %d of %d VNFC resources replaced' % (
            changed_resources(diff), len(run.before)))
    if run.error:
        lines.append('  error     %s' % one_line(run.error))
    for note in run.notes:
        lines.append('  %s' % note)
    return lines


def format_summary(runs):
    lines = []
    for run in runs:
        lines.extend(format_run(run))
    done = sum(1 for run in runs if run.completed)
    lines.append('%d of %d changes of package COMPLETED' % (done, len(runs)))
    return '\n'.join(lines)
