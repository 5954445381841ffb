"""Field types for the SOL objects, on top of oslo.versionedobjects."""
import datetime

from oslo_utils import timeutils
from oslo_versionedobjects import fields as ovo_fields

StringField = ovo_fields.StringField
IntegerField = ovo_fields.IntegerField
BooleanField = ovo_fields.BooleanField
ObjectField = ovo_fields.ObjectField
ListOfObjectsField = ovo_fields.ListOfObjectsField
ListOfStringsField = ovo_fields.ListOfStringsField
UUIDField = ovo_fields.UUIDField


class _Json(ovo_fields.FieldType):
    """Any JSON value (KeyValuePairs and the like)."""

    def coerce(self, obj, attr, value):
        if not isinstance(value, (dict, list, str, int, float, bool)):
            raise ValueError('%s must be a JSON value, not %s' % (
                attr, type(value).__name__))
        return value


class JsonField(ovo_fields.AutoTypedField):
    AUTO_TYPE = _Json()


class KeyValuePairsField(ovo_fields.AutoTypedField):
    """SOL013 KeyValuePairs: a JSON object."""

    class _Type(ovo_fields.FieldType):
        def coerce(self, obj, attr, value):
            if not isinstance(value, dict):
                raise ValueError('%s must be a JSON object' % attr)
            return value

    AUTO_TYPE = _Type()


class _DateTime(ovo_fields.DateTime):
    """SOL013 DateTime: RFC 3339, always in UTC with a 'Z'."""

    def coerce(self, obj, attr, value):
        if isinstance(value, str):
            value = timeutils.parse_isotime(value)
        if isinstance(value, datetime.datetime):
            # Kept in UTC to the second, the only form the API shows; the
            # database columns hold naive UTC, so another offset or a
            # fraction would come back changed (and differently on each
            # backend: MySQL drops fractions, PostgreSQL keeps them).
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.timezone.utc)
            value = value.astimezone(datetime.timezone.utc).replace(
                microsecond=0)
        return super().coerce(obj, attr, value)

    @staticmethod
    def to_api(value):
        value = value.astimezone(datetime.timezone.utc)
        return value.strftime('%Y-%m-%dT%H:%M:%SZ')


class DateTimeField(ovo_fields.AutoTypedField):
    AUTO_TYPE = _DateTime()


def _enum(name, values):
    class _Enum(ovo_fields.Enum):
        def __init__(self):
            super().__init__(valid_values=values)

    class _EnumField(ovo_fields.BaseEnumField):
        AUTO_TYPE = _Enum()
        ALL = tuple(values)

    _EnumField.__name__ = name
    for value in values:
        setattr(_EnumField, value.replace('-', '_'), value)
    return _EnumField


InstantiationStateField = _enum(
    'InstantiationStateField', ['NOT_INSTANTIATED', 'INSTANTIATED'])
VnfOperationalStateField = _enum(
    'VnfOperationalStateField', ['STARTED', 'STOPPED'])
LcmOperationStateField = _enum(
    'LcmOperationStateField',
    ['STARTING', 'PROCESSING', 'COMPLETED', 'FAILED_TEMP', 'FAILED',
     'ROLLING_BACK', 'ROLLED_BACK'])
LcmOperationTypeField = _enum(
    'LcmOperationTypeField',
    ['INSTANTIATE', 'SCALE', 'SCALE_TO_LEVEL', 'CHANGE_FLAVOUR', 'TERMINATE',
     'HEAL', 'OPERATE', 'CHANGE_EXT_CONN', 'MODIFY_INFO', 'CREATE_SNAPSHOT',
     'REVERT_TO_SNAPSHOT', 'CHANGE_VNFPKG'])
ChangeTypeField = _enum(
    'ChangeTypeField',
    ['ADDED', 'REMOVED', 'MODIFIED', 'TEMPORARY', 'LINK_PORT_ADDED',
     'LINK_PORT_REMOVED'])
OnboardingStateField = _enum(
    'OnboardingStateField',
    ['CREATED', 'UPLOADING', 'PROCESSING', 'ONBOARDED', 'ERROR'])
PackageOperationalStateField = _enum(
    'PackageOperationalStateField', ['ENABLED', 'DISABLED'])
PackageUsageStateField = _enum(
    'PackageUsageStateField', ['IN_USE', 'NOT_IN_USE'])
VerbosityField = _enum('VerbosityField', ['FULL', 'SHORT'])

# Final states: the instance is free again.
FINAL_STATES = ('COMPLETED', 'FAILED', 'ROLLED_BACK')
# States in which the operation holds the instance.
ACTIVE_STATES = ('STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK')
