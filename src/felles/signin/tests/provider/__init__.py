"""A real OpenID Connect provider for the sign-in tests: django-oidc-provider in a second
Django process with its own SQLite database (`serve.py`), standing in for Entra ID. It
issues RS256-signed ID tokens carrying an `oid` claim, as Entra ID does, supports PKCE,
`prompt=none` and the end-session endpoint."""
