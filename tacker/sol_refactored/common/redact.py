"""Keep credentials out of logs, errors and notifications."""
SECRET_KEYS = frozenset(['password', 'bearer_token', 'client_secret',
                         'token', 'private_key', 'ssl_ca_cert_key',
                         'client_key',
                         'clientPassword', 'paramsBasic', 'paramsOauth2'])
MASK = '***'


def collect_secrets(value, found=None):
    """Every string held under a secret key, anywhere in value."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_KEYS and isinstance(item, str) and item:
                found.add(item)
            else:
                collect_secrets(item, found)
    elif isinstance(value, list):
        for item in value:
            collect_secrets(item, found)
    return found


def mask_text(text, secrets):
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def mask_dict(value):
    """A copy with every secret key's value replaced by the mask."""
    if isinstance(value, dict):
        return {k: (MASK if k in SECRET_KEYS and v else mask_dict(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [mask_dict(v) for v in value]
    return value
