"""What the test provider says about its users, shaped like Entra ID: a stable `oid` in
the ID token, the e-mail address and names."""

import uuid

NAMESPACE = uuid.UUID("6f0c5a7e-3b0e-4d1c-9a55-0c7f3b1d2e11")


def oid(username: str) -> str:
    """The user's object id, stable for the username (the tests compute it too)."""
    return str(uuid.uuid5(NAMESPACE, username))


def userinfo(claims, user):
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["name"] = f"{user.first_name} {user.last_name}"
    return claims


def id_token(id_token, user, token, request, **kwargs):
    id_token["oid"] = oid(user.username)
    return id_token
