"""Does a LifecycleChangeNotificationsFilter select a notification?

SOL003 5.5.3.12: every attribute present must match (and); within an
array attribute one matching entry is enough (or). An absent filter or
attribute matches everything.
"""

LCMOCC_NOTIFICATION = 'VnfLcmOperationOccurrenceNotification'


def _listed(values, value):
    return not values or value in values


def _version_matches(version, inst):
    if version.get('vnfSoftwareVersion') != inst.vnfSoftwareVersion:
        return False
    return _listed(version.get('vnfdVersions'), inst.vnfdVersion)


def _product_matches(product, inst):
    if product.get('vnfProductName') != inst.vnfProductName:
        return False
    versions = product.get('versions')
    return not versions or any(_version_matches(v, inst) for v in versions)


def _provider_matches(provider, inst):
    if provider.get('vnfProvider') != inst.vnfProvider:
        return False
    products = provider.get('vnfProducts')
    return not products or any(_product_matches(p, inst) for p in products)


def instance_matches(inst_filter, inst):
    """VnfInstanceSubscriptionFilter against a VnfInstance."""
    if not inst_filter:
        return True
    if not _listed(inst_filter.get('vnfdIds'), inst.vnfdId):
        return False
    providers = inst_filter.get('vnfProductsFromProviders')
    if providers and not any(_provider_matches(p, inst) for p in providers):
        return False
    if not _listed(inst_filter.get('vnfInstanceIds'), inst.id):
        return False
    names = inst_filter.get('vnfInstanceNames')
    if names and inst.obj_get('vnfInstanceName') not in names:
        return False
    return True


def matches(subsc_filter, notification_type, inst, lcmocc=None):
    """True when a subscription with this filter gets the notification.

    ``lcmocc`` is given for VnfLcmOperationOccurrenceNotification only;
    operationTypes and operationStates concern that type alone, so they
    never exclude the identifier creation and deletion notifications.
    """
    if not subsc_filter:
        return True
    if not _listed(subsc_filter.get('notificationTypes'), notification_type):
        return False
    if notification_type == LCMOCC_NOTIFICATION and lcmocc is not None:
        if not _listed(subsc_filter.get('operationTypes'),
                       lcmocc.operation):
            return False
        if not _listed(subsc_filter.get('operationStates'),
                       lcmocc.operationState):
            return False
    return instance_matches(subsc_filter.get('vnfInstanceSubscriptionFilter'),
                            inst)
