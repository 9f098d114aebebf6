"""Run the test provider: `python -m felles.signin.tests.provider.serve` with a JSON
description on stdin: {"port", "database", "redirect_uris", "post_logout_redirect_uris",
"client_id", "client_secret", "users": [{"username", "password", "email", "first_name",
"last_name"}]}. Migrates its database, seeds the signing key, the client and the users,
prints "ready" and serves until stopped."""

import json
import os
import sys


def main() -> None:
    spec = json.load(sys.stdin)
    os.environ["DJANGO_SETTINGS_MODULE"] = "felles.signin.tests.provider.settings"
    os.environ["OP_DATABASE"] = spec["database"]
    os.environ["OP_SITE_URL"] = f"http://127.0.0.1:{spec['port']}"

    import django

    django.setup()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client.objects.create(
        name="Felles",
        client_type="confidential",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        jwt_alg="RS256",
        redirect_uris=spec["redirect_uris"],
        post_logout_redirect_uris=spec["post_logout_redirect_uris"],
        require_consent=False,
        reuse_consent=True,
        scope=["openid", "email", "profile"],
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for user in spec["users"]:
        User.objects.create_user(**user)
    print("ready", flush=True)
    run("127.0.0.1", spec["port"], get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
