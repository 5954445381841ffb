"""resourceChanges of an operation, from the instance before and after."""
from tacker.sol_refactored import objects


def _by_id(items):
    return {item.id: item for item in items or []}


def _list(info, attr):
    return (info.obj_get(attr) or []) if info is not None else []


def diff(old_info, new_info):
    """ResourceChanges between two InstantiatedVnfInfo (either may be None).

    A VNFC, virtual link or storage whose id appears only after is ADDED,
    only before is REMOVED; one kept whose VIM resource or VNFD changed is
    MODIFIED.
    """
    changes = objects.ResourceChanges(affectedVnfcs=[],
                                      affectedVirtualLinks=[],
                                      affectedVirtualStorages=[])
    old, new = (_by_id(_list(old_info, 'vnfcResourceInfo')),
                _by_id(_list(new_info, 'vnfcResourceInfo')))
    for vnfc_id, change_type, res in _classify(old, new, 'computeResource'):
        changes.affectedVnfcs.append(objects.AffectedVnfc(
            id=vnfc_id, vduId=res.vduId, vnfdId=res.obj_get('vnfdId'),
            changeType=change_type, computeResource=res.computeResource,
            metadata=res.obj_get('metadata')))
    old, new = (_by_id(_list(old_info, 'vnfVirtualLinkResourceInfo')),
                _by_id(_list(new_info, 'vnfVirtualLinkResourceInfo')))
    for vl_id, change_type, res in _classify(old, new, 'networkResource'):
        changes.affectedVirtualLinks.append(objects.AffectedVirtualLink(
            id=vl_id, vnfVirtualLinkDescId=res.vnfVirtualLinkDescId,
            vnfdId=res.obj_get('vnfdId'), changeType=change_type,
            networkResource=res.networkResource))
    old, new = (_by_id(_list(old_info, 'virtualStorageResourceInfo')),
                _by_id(_list(new_info, 'virtualStorageResourceInfo')))
    for st_id, change_type, res in _classify(old, new, 'storageResource'):
        changes.affectedVirtualStorages.append(objects.AffectedVirtualStorage(
            id=st_id, virtualStorageDescId=res.virtualStorageDescId,
            vnfdId=res.obj_get('vnfdId'), changeType=change_type,
            storageResource=res.storageResource))
    return changes


def _classify(old, new, handle_attr):
    for key, res in new.items():
        if key not in old:
            yield key, 'ADDED', res
        else:
            before = old[key]
            if (getattr(before, handle_attr).to_dict() !=
                    getattr(res, handle_attr).to_dict() or
                    before.obj_get('vnfdId') != res.obj_get('vnfdId')):
                yield key, 'MODIFIED', res
    for key, res in old.items():
        if key not in new:
            yield key, 'REMOVED', res
