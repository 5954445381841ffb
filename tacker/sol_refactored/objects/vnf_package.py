"""VnfPkgInfo (SOL005 9.5.2.5)."""
from tacker.sol_refactored.db import models
from tacker.sol_refactored.objects import base
from tacker.sol_refactored.objects import fields

F = fields


@base.register
class VnfPkgInfo(base.Persistent, base.SolObject):
    db_model = models.VnfPackage
    db_only_fields = ('vnfdSummary', 'createdAt', 'projectId')
    project_attr = 'projectId'
    fields = {
        'id': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'vnfProvider': F.StringField(nullable=True),
        'vnfProductName': F.StringField(nullable=True),
        'vnfSoftwareVersion': F.StringField(nullable=True),
        'vnfdVersion': F.StringField(nullable=True),
        'checksum': F.KeyValuePairsField(nullable=True),
        # Present once on-boarded (SOL005 v3.7.1 table 9.5.2.5-1).
        'packageSecurityOption': F.StringField(nullable=True),
        'signingCertificate': F.StringField(nullable=True),
        'softwareImages': F.JsonField(nullable=True),
        'additionalArtifacts': F.JsonField(nullable=True),
        'onboardingState': F.OnboardingStateField(nullable=False),
        'operationalState': F.PackageOperationalStateField(nullable=False),
        'usageState': F.PackageUsageStateField(nullable=False),
        'userDefinedData': F.KeyValuePairsField(nullable=True),
        'onboardingFailureDetails': F.KeyValuePairsField(nullable=True),
        'vnfdSummary': F.KeyValuePairsField(nullable=True),
        'createdAt': F.DateTimeField(nullable=False),
        'projectId': F.StringField(nullable=True),
    }

    def to_api(self, base_url):
        body = {k: v for k, v in self.to_dict().items() if v is not None}
        href = '%s/vnfpkgm/v1/vnf_packages/%s' % (base_url, self.id)
        links = {'self': {'href': href},
                 'packageContent': {'href': href + '/package_content'}}
        if self.onboardingState == 'ONBOARDED':
            links['vnfd'] = {'href': href + '/vnfd'}
        body['_links'] = links
        return body
