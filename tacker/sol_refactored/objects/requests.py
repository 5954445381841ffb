"""Request bodies of the VNF LCM API, as objects the conductor receives."""
from tacker.sol_refactored.objects import base
from tacker.sol_refactored.objects import fields

F = fields


@base.register
class CreateVnfRequest(base.SolObject):
    fields = {
        'vnfdId': F.StringField(nullable=False),
        'vnfInstanceName': F.StringField(nullable=True),
        'vnfInstanceDescription': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class InstantiateVnfRequest(base.SolObject):
    fields = {
        'flavourId': F.StringField(nullable=False),
        'instantiationLevelId': F.StringField(nullable=True),
        'extVirtualLinks': F.JsonField(nullable=True),
        'extManagedVirtualLinks': F.JsonField(nullable=True),
        'vimConnectionInfo': F.KeyValuePairsField(nullable=True),
        'localizationLanguage': F.StringField(nullable=True),
        'additionalParams': F.KeyValuePairsField(nullable=True),
        'extensions': F.KeyValuePairsField(nullable=True),
        'vnfConfigurableProperties': F.KeyValuePairsField(nullable=True),
    }


@base.register
class TerminateVnfRequest(base.SolObject):
    fields = {
        'terminationType': F.StringField(nullable=False),
        'gracefulTerminationTimeout': F.IntegerField(nullable=True),
        'additionalParams': F.KeyValuePairsField(nullable=True),
    }


@base.register
class ChangeCurrentVnfPkgRequest(base.SolObject):
    fields = {
        'vnfdId': F.StringField(nullable=False),
        'extVirtualLinks': F.JsonField(nullable=True),
        'extManagedVirtualLinks': F.JsonField(nullable=True),
        'vimConnectionInfo': F.KeyValuePairsField(nullable=True),
        'additionalParams': F.KeyValuePairsField(nullable=True),
        'extensions': F.KeyValuePairsField(nullable=True),
        'vnfConfigurableProperties': F.KeyValuePairsField(nullable=True),
    }
