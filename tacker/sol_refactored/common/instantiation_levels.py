"""Instantiation levels of a deployment flavour (SOL001 6.10 policies).

A flavour's ``policies`` may hold:

``tosca.policies.nfv.InstantiationLevels``
    ``levels``: {level id: {description, scale_info: {aspect: {scale_level}}}}
    and ``default_level``.
``tosca.policies.nfv.VduInstantiationLevels``
    ``levels``: {level id: {number_of_instances}} for its ``targets`` (VDUs).
``tosca.policies.nfv.VduInitialDelta``
    ``initial_delta``: {number_of_instances} for its targets.
``tosca.policies.nfv.ScalingAspects`` / ``VduScalingAspectDeltas``
    the aspects a level's ``scale_info`` names, and their deltas.

``parse`` reads and checks them (unknown VDUs, aspects or levels, a
default level that does not exist: :class:`LevelError` naming it);
``vdu_counts`` gives the VNFC count of every VDU at a level. With no level
asked for, the default level counts; without one, the VDU's initial delta;
without one, its ``min_number_of_instances``.
"""

INSTANTIATION_LEVELS = 'tosca.policies.nfv.InstantiationLevels'
VDU_LEVELS = 'tosca.policies.nfv.VduInstantiationLevels'
INITIAL_DELTA = 'tosca.policies.nfv.VduInitialDelta'
SCALING_ASPECTS = 'tosca.policies.nfv.ScalingAspects'
ASPECT_DELTAS = 'tosca.policies.nfv.VduScalingAspectDeltas'
KNOWN = (INSTANTIATION_LEVELS, VDU_LEVELS, INITIAL_DELTA, SCALING_ASPECTS,
         ASPECT_DELTAS)


class LevelError(ValueError):
    pass


def _kind(policy):
    """The SOL001 policy type a policy is (or derives from), or None."""
    definition = getattr(policy, 'type_definition', None)
    seen = 0
    while definition is not None and seen < 20:
        if definition.type in KNOWN:
            return definition.type
        definition = getattr(definition, 'parent_type', None)
        seen += 1
    return policy.type if policy.type in KNOWN else None


def _count(value, where):
    number = (value or {}).get('number_of_instances') \
        if isinstance(value, dict) else None
    if not isinstance(number, int) or isinstance(number, bool) or \
            number < 0:
        raise LevelError('%s needs number_of_instances, a whole number of '
                         '0 or more.' % where)
    return number


def parse(policies, vdus):
    """The flavour's levels as the vnfdSummary keeps them, or None.

    ``policies``: the topology's tosca-parser Policy objects; ``vdus``:
    the flavour's VDU ids.
    """
    levels, default, vdu_levels, deltas = None, None, {}, {}
    aspects, aspect_deltas = {}, {}
    for policy in policies or []:
        kind = _kind(policy)
        props = policy.properties or {}
        targets = list((policy.entity_tpl or {}).get('targets') or [])
        where = 'Policy %s (%s)' % (policy.name, kind)
        for target in targets if kind in (VDU_LEVELS, INITIAL_DELTA,
                                          ASPECT_DELTAS) else ():
            if target not in vdus:
                raise LevelError('%s targets %s, which is not a VDU of the '
                                 'flavour (it has: %s).' % (
                                     where, target, ', '.join(sorted(vdus))))
        if kind == INSTANTIATION_LEVELS:
            if levels is not None:
                raise LevelError('The flavour has two InstantiationLevels '
                                 'policies.')
            levels = {}
            for level_id, level in (props.get('levels') or {}).items():
                level = level or {}
                scale = {a: (s or {}).get('scale_level', 0) for a, s in
                         (level.get('scale_info') or {}).items()}
                levels[str(level_id)] = {
                    'description': level.get('description'),
                    'scaleInfo': scale}
            if not levels:
                raise LevelError('%s defines no level.' % where)
            default = props.get('default_level')
        elif kind == VDU_LEVELS:
            for level_id, value in (props.get('levels') or {}).items():
                for target in targets:
                    vdu_levels.setdefault(target, {})[str(level_id)] = \
                        _count(value, '%s level %s' % (where, level_id))
        elif kind == INITIAL_DELTA:
            for target in targets:
                deltas[target] = _count(props.get('initial_delta'), where)
        elif kind == SCALING_ASPECTS:
            for aspect_id, aspect in (props.get('aspects') or {}).items():
                aspect = aspect or {}
                aspects[aspect_id] = {
                    'maxScaleLevel': aspect.get('max_scale_level'),
                    'stepDeltas': list(aspect.get('step_deltas') or [])}
        elif kind == ASPECT_DELTAS:
            aspect = props.get('aspect')
            for delta_id, value in (props.get('deltas') or {}).items():
                for target in targets:
                    aspect_deltas.setdefault(aspect, {}).setdefault(
                        target, {})[delta_id] = _count(
                            value, '%s delta %s' % (where, delta_id))
    if levels is None:
        if vdu_levels:
            raise LevelError('VduInstantiationLevels name levels, but the '
                             'flavour has no InstantiationLevels policy.')
        if not deltas:
            return None
        levels = {}
    for aspect in aspect_deltas:
        if aspect not in aspects:
            raise LevelError('VduScalingAspectDeltas names aspect %s, which '
                             'no ScalingAspects policy defines.' % aspect)
    for level_id, level in levels.items():
        for aspect, scale_level in level['scaleInfo'].items():
            if aspect not in aspects:
                raise LevelError('Instantiation level %s scales aspect %s, '
                                 'which no ScalingAspects policy defines.'
                                 % (level_id, aspect))
            top = aspects[aspect]['maxScaleLevel']
            if not isinstance(scale_level, int) or scale_level < 0 or (
                    isinstance(top, int) and scale_level > top):
                raise LevelError('Instantiation level %s asks scale level '
                                 '%r of aspect %s (0 to %s).' % (
                                     level_id, scale_level, aspect, top))
    for vdu, by_level in vdu_levels.items():
        for level_id in by_level:
            if level_id not in levels:
                raise LevelError('VduInstantiationLevels of %s names level '
                                 '%s, which InstantiationLevels does not '
                                 'define (it has: %s).' % (
                                     vdu, level_id, ', '.join(sorted(levels))))
    if default is not None and str(default) not in levels:
        raise LevelError('The default instantiation level %s is not one of '
                         'the levels (%s).' % (default,
                                               ', '.join(sorted(levels))))
    return {'levels': levels,
            'defaultLevel': str(default) if default is not None else None,
            'vduLevels': vdu_levels, 'initialDeltas': deltas,
            'aspects': aspects, 'aspectDeltas': aspect_deltas}


def _aspect_count(info, vdu, aspect, scale_level):
    steps = info['aspects'][aspect]['stepDeltas']
    deltas = info['aspectDeltas'].get(aspect, {}).get(vdu) or {}
    total = 0
    for step in range(scale_level):
        # The last step delta repeats for higher scale levels (SOL001).
        delta_id = steps[min(step, len(steps) - 1)] if steps else None
        total += deltas.get(delta_id, 0)
    return total


def vdu_counts(flavour, level_id=None, profile_minimum=True):
    """{VDU id: VNFC count} of a flavour (vnfdSummary entry) at a level.

    ``level_id`` None: the default level, if any. A level the flavour does
    not define is a LevelError. ``profile_minimum`` False leaves out the
    VDUs no level or initial delta speaks of (their count is the
    workload's own, on Kubernetes).
    """
    info = flavour.get('instantiationLevels') or {}
    levels = info.get('levels') or {}
    if level_id is not None and level_id not in levels:
        raise LevelError('instantiationLevelId %s is not a level of flavour '
                         '%s (it has: %s).' % (
                             level_id, flavour.get('flavourId'),
                             ', '.join(sorted(levels)) or 'none'))
    level_id = level_id or info.get('defaultLevel')
    counts = {}
    for vdu_id, vdu in (flavour.get('vdus') or {}).items():
        by_level = (info.get('vduLevels') or {}).get(vdu_id) or {}
        if level_id is not None and level_id in by_level:
            counts[vdu_id] = by_level[level_id]
            continue
        delta = (info.get('initialDeltas') or {}).get(vdu_id)
        if delta is not None:
            scale = levels.get(level_id, {}).get('scaleInfo') or {} \
                if level_id else {}
            counts[vdu_id] = delta + sum(
                _aspect_count(info, vdu_id, aspect, step)
                for aspect, step in scale.items())
            continue
        if profile_minimum:
            profile = vdu.get('vduProfile') or {}
            counts[vdu_id] = profile.get('min_number_of_instances', 1)
    return counts


def check_counts(flavour, counts):
    """The VDUs whose count the flavour's vdu_profile cannot hold."""
    out = []
    for vdu_id, count in sorted(counts.items()):
        vdu = (flavour.get('vdus') or {}).get(vdu_id)
        if vdu is None:
            continue
        profile = vdu.get('vduProfile') or {}
        low = profile.get('min_number_of_instances')
        high = profile.get('max_number_of_instances')
        if (isinstance(low, int) and count < low) or \
                (isinstance(high, int) and count > high):
            out.append('%s runs %d, the new VNFD allows %s to %s' % (
                vdu_id, count, low, high))
    return out
