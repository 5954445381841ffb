"""LccnSubscription (SOL003 5.5.2.16)."""
from tacker.sol_refactored.db import models
from tacker.sol_refactored.objects import base
from tacker.sol_refactored.objects import fields

F = fields


@base.register
class LccnSubscription(base.Persistent, base.SolObject):
    db_model = models.LccnSubscription
    # SOL003: the authentication given at creation is never returned.
    db_only_fields = ('authentication', 'createdAt', 'projectId')
    project_attr = 'projectId'
    fields = {
        'id': F.StringField(nullable=False),
        'filter': F.KeyValuePairsField(nullable=True),
        'callbackUri': F.StringField(nullable=False),
        'verbosity': F.VerbosityField(nullable=False),
        'authentication': F.KeyValuePairsField(nullable=True),
        'createdAt': F.DateTimeField(nullable=False),
        'projectId': F.StringField(nullable=True),
    }

    def to_api(self, base_url):
        body = self.to_dict()
        if body.get('filter') is None:
            body.pop('filter', None)
        body['_links'] = {'self': {'href': '%s/vnflcm/v2/subscriptions/%s' % (
            base_url, self.id)}}
        return body
